"""Records kept about one customer or policy: prospect facts, the customer's source and
list, reinsurance and co-insurance marks; corporate groups and their members."""
