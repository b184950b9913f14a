"""customer_facts."""
