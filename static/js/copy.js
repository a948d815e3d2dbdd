/*
 * Copy buttons on a term page. Without JavaScript the page holds plain links: the
 * permalink, and a link to the definition to select by hand. Here each link marked
 * data-copy-label becomes a button that copies the permalink's full address
 * (data-copy-text) or the text of an element (data-copy-from), and the page says
 * "Copied" in a polite live region, for screen readers as for the eyes.
 */
(function () {
  "use strict";

  var ANNOUNCE_MS = 4000;

  // The asynchronous Clipboard API needs a secure context (HTTPS or localhost); an
  // intranet served over plain HTTP still copies through a selected, hidden textarea.
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var copied = false;
      try {
        copied = document.execCommand("copy");
      } catch (error) {
        copied = false;
      }
      document.body.removeChild(area);
      if (copied) {
        resolve();
      } else {
        reject(new Error("copy refused"));
      }
    });
  }

  // Paragraphs as the reader sees them, separated by a blank line.
  function textOf(element) {
    var paragraphs = element.querySelectorAll("p");
    if (!paragraphs.length) {
      return element.textContent.trim();
    }
    return Array.prototype.map.call(paragraphs, function (paragraph) {
      return paragraph.textContent.trim();
    }).join("\n\n");
  }

  function setUp(bar) {
    var status = bar.querySelector("[role=status]");
    var timer = null;

    function announce(message) {
      window.clearTimeout(timer);
      status.textContent = message;
      timer = window.setTimeout(function () {
        status.textContent = "";
      }, ANNOUNCE_MS);
    }

    bar.querySelectorAll("a[data-copy-label]").forEach(function (link) {
      var source = link.getAttribute("data-copy-from");
      var target = source ? document.getElementById(source) : null;
      var text = link.getAttribute("data-copy-text");
      if (!text && !target) {
        return;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy-button";
      button.textContent = link.getAttribute("data-copy-label");
      button.addEventListener("click", function () {
        copyText(target ? textOf(target) : text).then(
          function () { announce(bar.getAttribute("data-copied")); },
          function () { announce(bar.getAttribute("data-copy-failed")); }
        );
      });
      link.parentNode.replaceChild(button, link);
    });
  }

  document.querySelectorAll(".term__share").forEach(setUp);
})();
