"""The course's capstones: an MLP on two moons (chapter 5) and a GPT on names (chapter 6)."""
