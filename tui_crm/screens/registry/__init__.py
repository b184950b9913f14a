"""The regional vehicle registry: prospect lists and conflicts between our units."""
