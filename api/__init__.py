"""Relief: a patient portal for physical, occupational and speech therapy."""

__version__ = "0.1.0"
PRODUCT_NAME = "Relief"
