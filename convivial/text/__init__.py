"""Message classifiers: requests, deflections and personal signatures, from word lists in data/."""
