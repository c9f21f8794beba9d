"""Messaging: template rendering (templates/), and later the SES / SNS adapters."""
