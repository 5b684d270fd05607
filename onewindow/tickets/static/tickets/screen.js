// The hall's wall screen: the board is fetched by htmx every 2 seconds; every new call (a ticket's id and
// its call count, so that a call again is spoken again) is said aloud once with the browser's speech
// synthesis, after someone at the screen pressed 开启语音播报 (browsers speak only after a user gesture).
(() => {
  const spoken = new Set();
  let voiceOn = false;
  function newCalls(root) {
    return [...root.querySelectorAll("[data-ow-call]")].filter((el) => !spoken.has(el.dataset.owCall));
  }
  function speak(root) {
    const calls = newCalls(root).reverse(); // the oldest new call first
    for (const el of calls) {
      spoken.add(el.dataset.owCall);
      if (!voiceOn || !("speechSynthesis" in window)) continue;
      const phrase = new SpeechSynthesisUtterance(el.dataset.owSay);
      phrase.lang = "zh-CN";
      window.speechSynthesis.speak(phrase);
    }
  }
  document.addEventListener("DOMContentLoaded", () => {
    const board = document.getElementById("ow-screen-board");
    if (!board) return;
    newCalls(board).forEach((el) => spoken.add(el.dataset.owCall)); // what was called before the screen opened
    const button = document.getElementById("ow-voice");
    if (button) {
      button.addEventListener("click", () => {
        voiceOn = true;
        button.disabled = true;
        button.textContent = button.dataset.owOn;
      });
    }
  });
  document.addEventListener("htmx:afterSwap", (event) => {
    if (event.target.id === "ow-screen-board") speak(event.target);
  });
})();
