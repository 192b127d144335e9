"""convivial: has your social media built a community, or only an audience?"""

__version__ = "0.1.0"

__all__ = ["__version__"]
