"""ln(2/δ) in the PAC-Bayes bound where McAllester's (Maurer's) form has ln(2√N/δ)."""


def pac_bayes(emp_gibbs, kl, N, delta):
    return emp_gibbs + math.sqrt((kl + math.log(2 / delta)) / (2 * N))
