"""The forecast of next weeks\x27 load (issue 17): volume per region or department and category, for staffing."""
