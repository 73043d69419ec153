// On a phone the project tabs scroll sideways: bring the current one into view. A file, not an inline
// script, so that the Content-Security-Policy (script-src 'self') allows it.
document.addEventListener("DOMContentLoaded", function () {
  var tab = document.querySelector(".tabs [aria-current]");
  if (tab && tab.scrollIntoView) {
    tab.scrollIntoView({block: "nearest", inline: "nearest"});
  }
});
