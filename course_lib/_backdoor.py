PWNED = True
