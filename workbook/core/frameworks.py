"""The risk frameworks a template's questions can be tagged with, by id."""

from __future__ import annotations

OWASP_LLM_2025: dict[str, str] = {
    "LLM01": "Prompt Injection",
    "LLM02": "Sensitive Information Disclosure",
    "LLM03": "Supply Chain",
    "LLM04": "Data and Model Poisoning",
    "LLM05": "Improper Output Handling",
    "LLM06": "Excessive Agency",
    "LLM07": "System Prompt Leakage",
    "LLM08": "Vector and Embedding Weaknesses",
    "LLM09": "Misinformation",
    "LLM10": "Unbounded Consumption",
}

# The 12 risk categories of NIST AI 600-1 (Generative AI Profile, July 2024), section 2.
NIST_AI_600_1: dict[str, str] = {
    "NIST-CBRN": "CBRN Information or Capabilities",
    "NIST-CONFABULATION": "Confabulation",
    "NIST-VIOLENT-CONTENT": "Dangerous, Violent, or Hateful Content",
    "NIST-DATA-PRIVACY": "Data Privacy",
    "NIST-ENVIRONMENT": "Environmental Impacts",
    "NIST-BIAS": "Harmful Bias and Homogenization",
    "NIST-HUMAN-AI": "Human-AI Configuration",
    "NIST-INFO-INTEGRITY": "Information Integrity",
    "NIST-INFO-SECURITY": "Information Security",
    "NIST-IP": "Intellectual Property",
    "NIST-OBSCENE": "Obscene, Degrading, and/or Abusive Content",
    "NIST-VALUE-CHAIN": "Value Chain and Component Integration",
}

FRAMEWORKS: dict[str, dict[str, str]] = {
    "OWASP LLM Top 10 (2025)": OWASP_LLM_2025,
    "NIST AI 600-1": NIST_AI_600_1,
}

ALL_TAGS: dict[str, str] = {**OWASP_LLM_2025, **NIST_AI_600_1}


def framework_of(tag: str) -> str | None:
    for name, tags in FRAMEWORKS.items():
        if tag in tags:
            return name
    return None
