"""Records where the checkout is, so an installed package finds its CLI (bin/redundancy-lab.mjs) there.

`pip install ./python` builds from this folder; the checkout is its parent. The path goes into
redundancy_lab/_checkout.py of the built package (never into the source tree).
"""
import os

from setuptools import setup
from setuptools.command.build_py import build_py

CHECKOUT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class BuildWithCheckout(build_py):
    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "redundancy_lab", "_checkout.py")
        with open(target, "w", encoding="utf-8") as f:
            f.write(f"# written by setup.py at install: the checkout this package came from\nCHECKOUT = {CHECKOUT!r}\n")


setup(cmdclass={"build_py": BuildWithCheckout})
