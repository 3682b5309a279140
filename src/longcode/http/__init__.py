"""What every API shares: authentication, JSON:API envelopes, errors, paging, request guards."""
