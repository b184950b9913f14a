"""Records the branch maintains itself: account managers, intermediaries, role
permissions, disaster events."""
