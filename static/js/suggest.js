/*
 * Suggestions while typing in the search box: the ARIA 1.2 combobox pattern
 * (input + listbox). Without JavaScript the form simply submits to the
 * results page. Data comes from /api/search/?q=…&lang=…
 */
(function () {
  "use strict";

  var DELAY_MS = 120;

  function setUp(form) {
    var input = form.querySelector("input[type=search]");
    var endpoint = form.getAttribute("data-suggest-url");
    if (!input || !endpoint || !window.fetch) {
      return;
    }
    var language = document.documentElement.lang || "fr";
    var avoidedSentence = form.getAttribute("data-suggest-avoided");
    var listbox = document.createElement("ul");
    listbox.id = input.id + "-suggestions";
    listbox.className = "suggestions";
    listbox.setAttribute("role", "listbox");
    listbox.setAttribute("aria-label", form.getAttribute("data-suggest-label") || "");
    listbox.hidden = true;
    form.appendChild(listbox);

    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);

    var items = [];
    var active = -1;
    var timer = null;
    var latest = 0;

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    // Sentences from the page, in its language: "{text}" and "{language}" are filled in.
    function sentence(name) {
      return form.getAttribute("data-suggest-" + name) || "";
    }

    function languageName(code) {
      return form.getAttribute("data-suggest-language-" + code) || code;
    }

    function fill(template, values) {
      // Functions as replacements, so that a "$&" in a wording stays as typed.
      return Object.keys(values).reduce(function (result, key) {
        return result.replace("{" + key + "}", function () { return values[key]; });
      }, template);
    }

    function span(className, text, lang) {
      var element = document.createElement("span");
      element.className = className;
      element.textContent = text;
      if (lang && lang !== language) {
        element.lang = lang;
      }
      return element;
    }

    // Why a suggestion matched, when the title does not show it: another language's
    // term, a variant or acronym, or a word of a definition (see the API's `matched`).
    function matchHint(matched) {
      var inDefinition = matched.kind === "definition";
      var foreign = matched.language !== language;
      var name = (inDefinition ? "definition" : "name") + (foreign ? "-language" : "");
      var hint = span("suggestion__matched", "");
      var parts = sentence("matched-" + name).split("{text}");
      hint.appendChild(document.createTextNode(fill(parts[0], { language: languageName(matched.language) })));
      hint.appendChild(span("suggestion__matched-text", matched.text, matched.language));
      hint.appendChild(document.createTextNode(fill(parts.slice(1).join(""), { language: languageName(matched.language) })));
      return hint;
    }

    function render(results) {
      listbox.textContent = "";
      items = results.map(function (result, index) {
        var option = document.createElement("li");
        option.id = listbox.id + "-" + index;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.dataset.url = result.url;
        var matched = result.matched;
        // An untranslated concept shows its French term as its title: in English its
        // "other terms" hold that same term, and a repeated label reads as a glitch.
        var others = result.other_terms.filter(function (other) {
          return other !== result.term && !(matched && matched.kind === "term" && other === matched.text);
        });
        option.appendChild(span("suggestion__term", result.term, result.term_language));
        if (result.untranslated) {
          option.appendChild(document.createTextNode(" "));
          option.appendChild(span("suggestion__badge", sentence("untranslated"), null));
        }
        var extra = result.acronyms.concat(others).join(" · ");
        if (extra) {
          option.appendChild(span("suggestion__detail", " " + extra, null));
        }
        if (result.avoided && avoidedSentence) {
          // Found by a wording to avoid: say so, and what to say instead.
          option.appendChild(span(
            "suggestion__avoided",
            fill(avoidedSentence, { avoided: result.avoided, term: result.term }),
            null
          ));
        } else if (matched) {
          option.appendChild(matchHint(matched));
        }
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          window.location.href = result.url;
        });
        listbox.appendChild(option);
        return option;
      });
      active = -1;
      if (items.length) {
        listbox.hidden = false;
        input.setAttribute("aria-expanded", "true");
      } else {
        close();
      }
      status.textContent = form.getAttribute("data-suggest-count").replace("%s", items.length);
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (!query) {
        close();
        return;
      }
      var ticket = ++latest;
      var url = endpoint + "?lang=" + encodeURIComponent(language) + "&q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (ticket === latest) {
            render(data.results || []);
          }
        })
        .catch(close);
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" && items.length) {
        event.preventDefault();
        if (listbox.hidden) {
          listbox.hidden = false;
          input.setAttribute("aria-expanded", "true");
        }
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp" && items.length) {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0 && !listbox.hidden) {
        event.preventDefault();
        window.location.href = items[active].dataset.url;
      } else if (event.key === "Escape") {
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });
  }

  document.querySelectorAll("form[data-suggest-url]").forEach(setUp);
})();
