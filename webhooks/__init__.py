"""Webhooks: endpoints editors register are told of the articles' events, signed as Standard Webhooks."""
