// Replaced by the analyzer (issue 5).
