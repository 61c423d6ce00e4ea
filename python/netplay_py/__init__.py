"""netplay's protocol served by Python: the notebook's two programs, asyncio and one thread per connection, as servers."""
