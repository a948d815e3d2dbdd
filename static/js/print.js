/*
 * The printable glossary's "Print" button: without JavaScript it stays hidden, and the
 * page says to print from the browser.
 */
(function () {
  "use strict";
  var button = document.querySelector(".paper__print");
  if (!button) {
    return;
  }
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
})();
