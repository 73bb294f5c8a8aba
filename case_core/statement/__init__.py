"""The statement of account: facts, interest, imputation, limitation, rates, costs."""
