"""The demo story: Idrija's process filled through the public API, so that a newcomer's first page
is alive (`civic run` tells it unless --no-story; `civic seed --story` tells it to a running platform).
The test suite's platform does not get it unless a test asks (tests/e2e/test_demo_story.py)."""
from services.demo.story import tell_story, tell_story_safely

__all__ = ["tell_story", "tell_story_safely"]
