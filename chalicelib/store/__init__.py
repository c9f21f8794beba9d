"""PynamoDB models and repository functions: all key design and GSIs live here.

Every hash key starts with the tenant id (DESIGN.md, Tenancy).
"""
