"""Marketing mix model: pure transforms, spec, design matrix, checks, outputs, optimizer.

Only ``pilotage.core.mmm.model`` imports JAX/numpyro (and sets JAX to CPU and 64-bit floats
when it is imported); every other module here is plain NumPy/SciPy.
"""
