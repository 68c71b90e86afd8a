"""Two servers that do nothing but the booking's one INSERT: the ceilings any booking over
HTTP meets on this machine, measured in the same run as the product (bench/throughput.py).

* `bare`: a plain WSGI application, no framework: parse the JSON, one INSERT, answer 201.
* Django with no middleware, no session, no checks (`settings`, `urls`): one ORM `create`.
"""
