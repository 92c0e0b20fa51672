"""Portal Kantor: the regional offices' way in. Templates made from the contract, uploads
checked at once by the office's own Excel rows (a dry run of extract and validate), sending
into the landing zone, and each office's status and feedback, seen only by whom it concerns.

Above the flow: it reads the contract and the warehouse and calls the stages' dry run; nothing
of the data path imports it.
"""
