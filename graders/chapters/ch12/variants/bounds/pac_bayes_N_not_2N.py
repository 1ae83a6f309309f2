"""The PAC-Bayes denominator N where it is 2N."""


def pac_bayes(emp_gibbs, kl, N, delta):
    return emp_gibbs + math.sqrt((kl + math.log(2 * math.sqrt(N) / delta)) / N)
