"""Marketing mix model: pure transforms, spec, design matrix, checks, outputs, optimizer.

Only ``pilotage.core.mmm.model`` (sampling) and ``pilotage.core.mmm.density`` (the log
posterior in JAX, imported by ``model``) use JAX; importing ``model`` sets JAX to the CPU,
64-bit floats and several host devices. Every other module here is plain NumPy/SciPy.
"""
