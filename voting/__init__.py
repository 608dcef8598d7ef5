"""Voting: deliberation, voting windows, ballots, tallies and conclusions."""
