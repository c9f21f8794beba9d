"""PynamoDB models and repository functions: all key design and GSIs live here.

Every hash key starts with the tenant id: every item belongs to one tenant (workspace), and a query can only
ever read its own tenant's items.
"""
