"""Scheduled and queued work (SQS consumers, EventBridge schedules)."""
