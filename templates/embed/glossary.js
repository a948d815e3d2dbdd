/* The glossary on any intranet page: <script src=".../embed/glossary.js" defer></script>.
 *
 * Marks the first mention of each glossary wording on the page (or in each section) and
 * explains it in a popover. Words are found with the rules of the glossary's own mention
 * matcher (terms/text.py MentionMatcher): whole words, longest wording first; acronyms
 * and one-word variants as written (accents aside); other wordings whatever their case
 * and accents. The description lists the wordings already folded by the server, so only
 * the page's words are folded here, with the same steps as terms/text.py `fold`.
 *
 * The host page's text is never changed: a mark only wraps a text node, and everything
 * the script shows lives in shadow roots, with styles of its own. No framework, no
 * network access but the glossary's own address.
 */
(function () {
  "use strict";

  var CONFIG = {{ config }};
  var script = document.currentScript;
  if (!script || window.__glossaryEmbed) {
    return;
  }
  window.__glossaryEmbed = true;

  var MARK_TAG = "glossary-term";
  var POPOVER_TAG = "glossary-popover";
  // Never annotated, nor anything inside: a mark there would be a control in a control,
  // or change what a heading or a piece of code says.
  var SKIP = new Set([
    "A", "BUTTON", "INPUT", "TEXTAREA", "SELECT", "OPTION", "LABEL", "SUMMARY",
    "H1", "H2", "H3", "H4", "H5", "H6", "CODE", "PRE", "KBD", "SAMP", "VAR",
    "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "IFRAME", "OBJECT", "SVG", "MATH",
    "CANVAS", "VIDEO", "AUDIO", "TITLE", "HEAD",
    MARK_TAG.toUpperCase(), POPOVER_TAG.toUpperCase()
  ]);
  var SKIP_ROLES = new Set(["button", "link", "textbox", "heading", "menuitem", "tab", "code"]);
  // Elements inside which text flows on: a word cut by one (<b>Sales</b>force) is one word.
  var INLINE = new Set([
    "B", "I", "EM", "STRONG", "SPAN", "SMALL", "MARK", "SUB", "SUP", "U", "S", "ABBR",
    "CITE", "Q", "TIME", "DATA", "FONT", "BDI", "BDO", "DFN", "INS", "DEL", "WBR"
  ]);

  // -- words and folding: terms/text.py `_WORD`, `fold` and `strip_accents` -----------
  // A word: letters and digits, with inner middle dots (Chargé·e is one word).
  var WORD_CHAR = /^[\p{L}\p{N}]$/u;
  var ASCII = /^[\x00-\x7f]*$/;
  var LIGATURES = { "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ﬁ": "fi", "ﬂ": "fl" };
  var LIGATURE = /[œŒæÆßﬁﬂ]/g;
  var JOINERS = /[\u00b7\u2027\u22c5\u2219]/g;
  var NON_ASCII = /[^\x00-\x7f]/g;
  var NON_WORD = /[^0-9a-z]+/g;
  var COMBINING = /\p{Mn}/gu;
  // Whether each UTF-16 code is a letter or digit (1) or not (2), learnt as met: the page
  // is scanned code by code, far faster than a Unicode regular expression.
  var KIND = new Uint8Array(65536);
  for (var code = 0; code < 128; code++) {
    KIND[code] = /[0-9A-Za-z]/.test(String.fromCharCode(code)) ? 1 : 2;
  }
  var wordForms = new Map(); // word -> [folded, as written without accents]

  function ligature(c) {
    return LIGATURES[c];
  }

  // The length of the letter or digit at `i` (2 for a letter outside the BMP), else 0.
  function wordWidth(data, i) {
    var c = data.charCodeAt(i);
    var kind = KIND[c];
    if (kind === 0) {
      if (c >= 0xd800 && c <= 0xdbff) {
        return WORD_CHAR.test(String.fromCodePoint(data.codePointAt(i))) ? 2 : 0;
      }
      kind = KIND[c] = WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    }
    return kind === 1 ? 1 : 0;
  }

  function formsOf(word) {
    var forms = wordForms.get(word);
    if (forms === undefined) {
      if (ASCII.test(word)) {
        forms = [word.toLowerCase(), word];
      } else {
        var wide = word.replace(LIGATURE, ligature).normalize("NFKD");
        forms = [
          word.replace(JOINERS, "").replace(LIGATURE, ligature).normalize("NFKD")
            .replace(NON_ASCII, "").toLowerCase().replace(NON_WORD, " ").trim(),
          wide.replace(COMBINING, "")
        ];
      }
      wordForms.set(word, forms);
    }
    return forms;
  }

  // -- the description: one line per concept, `wording|=ACRONYM|/slug` ------------------
  // A folded wording comes as its words' codes (terms/embed.py, `coded`): `width` digits
  // each, a word's place in the description's list of words. The index keeps them coded,
  // and a page's words are coded to be looked up: spelling 10,000 lines out again took
  // longer than reading the description.
  function codeOf(place, width) {
    var digits = CONFIG.codeDigits;
    var code = "";
    for (var k = 0; k < width; k++, place = Math.floor(place / digits.length)) {
      code = digits.charAt(place % digits.length) + code;
    }
    return code;
  }

  function buildIndex(description) {
    var lines = description.concepts;
    var width = description.width;
    var vocabulary = description.words.split(" ");
    var index = {
      // First word of the wordings -> the most words a wording starting with it has: most
      // words of a page start none, and are passed over with one lookup.
      folded: new Map(), exact: new Map(), firstFolded: new Map(), firstExact: new Map(),
      codes: new Map(), vocabulary: vocabulary, width: width, lines: lines,
      slugs: new Array(lines.length) // given by the line, or null: from its first wording
    };
    for (var place = 0; place < vocabulary.length; place++) {
      index.codes.set(vocabulary[place], codeOf(place, width));
    }
    for (var i = 0; i < lines.length; i++) {
      var parts = lines[i].split("|");
      var slug = null;
      for (var j = 0; j < parts.length; j++) {
        var part = parts[j];
        var mark = part.charCodeAt(0);
        if (mark === 47) { // "/": the slug, when the first wording does not give it
          slug = part.slice(1);
          continue;
        }
        var exact = mark === 61; // "=": matched as written
        var first, words;
        if (exact) {
          part = part.slice(1);
          var space = part.indexOf(" ");
          first = space < 0 ? part : part.slice(0, space);
          for (words = 1; space >= 0; words++) {
            space = part.indexOf(" ", space + 1);
          }
        } else {
          first = part.slice(0, width);
          words = part.length / width;
        }
        (exact ? index.exact : index.folded).set(part, i);
        var firsts = exact ? index.firstExact : index.firstFolded;
        if (!(firsts.get(first) >= words)) {
          firsts.set(first, words);
        }
      }
      index.slugs[i] = slug;
    }
    return index;
  }

  // A page's folded word as the index writes it: its words' codes, or a code no wording
  // holds when one of them is in no wording.
  function coded(folded, index) {
    var code = index.codes.get(folded);
    if (code !== undefined) {
      return code;
    }
    if (folded.indexOf(" ") < 0) {
      return "\u0000";
    }
    var pieces = folded.split(" ");
    code = "";
    for (var k = 0; k < pieces.length; k++) {
      var piece = index.codes.get(pieces[k]);
      if (piece === undefined) {
        return "\u0000";
      }
      code += piece;
    }
    return code;
  }

  function slugOf(index, concept) {
    var slug = index.slugs[concept];
    if (slug === null) { // the first wording, spelled out, with dashes for spaces
      var codes = index.lines[concept].split("|")[0];
      var digits = CONFIG.codeDigits;
      var words = [];
      for (var at = 0; at < codes.length; at += index.width) {
        var place = 0;
        for (var k = at; k < at + index.width; k++) {
          place = place * digits.length + digits.indexOf(codes.charAt(k));
        }
        words.push(index.vocabulary[place]);
      }
      slug = index.slugs[concept] = words.join("-").slice(0, 80).replace(/-+$/, "");
    }
    return slug;
  }

  // -- finding the wordings in the page -----------------------------------------------
  function skipped(element) {
    if (SKIP.has(element.tagName) || element.isContentEditable) {
      return true;
    }
    if (element.getAttribute("data-glossary") === "off" || element.hasAttribute("hidden")) {
      return true;
    }
    var role = element.getAttribute("role");
    return role !== null && SKIP_ROLES.has(role);
  }

  function textNodes(root) {
    var found = [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        if (node.nodeType === 1) {
          return skipped(node) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP;
        }
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    if (root.nodeType === 1 && skipped(root)) {
      return found;
    }
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      found.push(node);
    }
    return found;
  }

  function blockOf(node) {
    var element = node.parentElement;
    while (element && INLINE.has(element.tagName)) {
      element = element.parentElement;
    }
    return element;
  }

  function endsWithWord(data) {
    var n = data.length;
    return n > 0 && (wordWidth(data, n - 1) > 0 || (n > 1 && wordWidth(data, n - 2) === 2));
  }

  function startsWithWord(data) {
    return data.length > 0 && wordWidth(data, 0) > 0;
  }

  // The matches of one text node: [start, end, concept]. `cutBefore`/`cutAfter`: the
  // node's first/last word goes on in the text next to it, so it is no whole word.
  function matchesIn(data, index, cutBefore, cutAfter) {
    var starts = [], ends = [], folded = [], raw = [];
    var length = data.length;
    var at = 0;
    while (at < length) {
      var width = wordWidth(data, at);
      if (!width) {
        at++;
        continue;
      }
      var start = at;
      at += width;
      for (;;) {
        while (at < length && (width = wordWidth(data, at))) {
          at += width;
        }
        var joiner = data.charCodeAt(at);
        if ((joiner === 0xb7 || joiner === 0x2027) && at + 1 < length && wordWidth(data, at + 1)) {
          at += 1;
          continue;
        }
        break;
      }
      var forms = formsOf(data.slice(start, at));
      starts.push(start);
      ends.push(at);
      folded.push(coded(forms[0], index));
      raw.push(forms[1]);
    }
    var count = starts.length;
    if (count && cutBefore && starts[0] === 0) {
      folded[0] = raw[0] = "\u0000";
    }
    if (count && cutAfter && ends[count - 1] === data.length) {
      folded[count - 1] = raw[count - 1] = "\u0000";
    }
    var found = [];
    var i = 0;
    while (i < count) {
      var longest = Math.max(index.firstFolded.get(folded[i]) || 0,
        index.firstExact.get(raw[i]) || 0);
      if (!longest) {
        i++;
        continue;
      }
      var words = Math.min(longest, count - i);
      var concept;
      for (; words > 0; words--) {
        concept = index.exact.get(raw.slice(i, i + words).join(" "));
        if (concept === undefined) {
          concept = index.folded.get(folded.slice(i, i + words).join(""));
        }
        if (concept !== undefined) {
          break;
        }
      }
      if (words === 0) {
        i++;
        continue;
      }
      found.push([starts[i], ends[i + words - 1], concept]);
      i += words;
    }
    return found;
  }

  function annotate(root, index, perSection) {
    var nodes = textNodes(root);
    var blocks = nodes.map(blockOf);
    var named = new Map(); // section (or null: the page) -> Set of concepts already marked
    var marks = [];
    for (var n = 0; n < nodes.length; n++) {
      var node = nodes[n];
      var data = node.data;
      var cutBefore = n > 0 && blocks[n - 1] === blocks[n] && endsWithWord(nodes[n - 1].data) &&
        startsWithWord(data);
      var cutAfter = n + 1 < nodes.length && blocks[n + 1] === blocks[n] &&
        startsWithWord(nodes[n + 1].data) && endsWithWord(data);
      var found = matchesIn(data, index, cutBefore, cutAfter);
      if (!found.length) {
        continue;
      }
      var section = perSection && node.parentElement ?
        node.parentElement.closest("section, article, [data-glossary-section]") : null;
      var seen = named.get(section);
      if (!seen) {
        seen = new Set();
        named.set(section, seen);
      }
      var rest = node;
      var offset = 0;
      for (var f = 0; f < found.length; f++) {
        var concept = found[f][2];
        if (seen.has(concept)) {
          continue;
        }
        seen.add(concept);
        var wording = rest.splitText(found[f][0] - offset);
        rest = wording.splitText(found[f][1] - found[f][0]);
        offset = found[f][1];
        marks.push(wrap(wording, slugOf(index, concept)));
      }
    }
    return marks;
  }

  // -- marks and the popover ------------------------------------------------------------
  // Marks hold the host's own text, so they stay in its DOM: styled by their element's
  // name, which no host page uses, in a sheet of their own.
  var MARK_STYLE =
    "glossary-term{border-bottom:1px dotted currentColor;cursor:help}" +
    "glossary-term:hover{background:rgba(31,91,153,.1)}" +
    "glossary-term:focus{outline:2px solid #1f5b99;outline-offset:1px}" +
    "glossary-term:focus:not(:focus-visible){outline:none}";
  var POPOVER_STYLE =
    ":host{all:initial;position:fixed;z-index:2147483000;display:block;top:0;left:0}" +
    ".box{box-sizing:border-box;position:relative;width:max-content;" +
    "max-width:min(24rem,calc(100vw - 16px));background:#fff;color:#1d2330;" +
    "border:1px solid #586074;border-radius:6px;box-shadow:0 4px 18px rgba(0,0,0,.22);" +
    "padding:.7rem 2.4rem .8rem .9rem;font:15px/1.45 system-ui,-apple-system,\"Segoe UI\"," +
    "Roboto,Arial,sans-serif;text-align:start;white-space:normal}" +
    ".box:focus{outline:2px solid #1f5b99;outline-offset:2px}" +
    ".box:focus:not(:focus-visible){outline:none}" +
    "p{margin:0 0 .45rem}p:last-child{margin:0}" +
    ".title{font-weight:700}.acronyms,.other{font-weight:400}.other{color:#444b5c}" +
    "a{color:#1f5b99;text-decoration:underline}a:hover{color:#123d68}" +
    "a:focus-visible,button:focus-visible{outline:2px solid #1f5b99;outline-offset:2px}" +
    ".close{position:absolute;top:.3rem;right:.3rem;width:2rem;height:2rem;margin:0;" +
    "padding:0;border:0;border-radius:4px;background:transparent;color:#1d2330;" +
    "font:inherit;font-size:1.3rem;line-height:1;cursor:pointer}" +
    ".close:hover{background:#e6eef7}";
  var sheets = {};

  function styleFor(shadow, css) { // a shadow root, or the document for the marks
    // Adopted sheets pass a host page's Content-Security-Policy, which a <style> may not.
    if ("adoptedStyleSheets" in shadow && typeof CSSStyleSheet === "function") {
      if (!sheets[css]) {
        sheets[css] = new CSSStyleSheet();
        sheets[css].replaceSync(css);
      }
      shadow.adoptedStyleSheets = shadow.adoptedStyleSheets.concat([sheets[css]]);
    } else {
      var style = document.createElement("style");
      style.textContent = css;
      (shadow === document ? document.head : shadow).appendChild(style);
    }
  }

  function wrap(textNode, slug) {
    var mark = document.createElement(MARK_TAG);
    mark.setAttribute("tabindex", "0");
    mark.setAttribute("role", "button");
    mark.setAttribute("aria-haspopup", "dialog");
    mark.setAttribute("aria-expanded", "false");
    mark.setAttribute("data-concept", slug);
    textNode.parentNode.insertBefore(mark, textNode);
    mark.appendChild(textNode);
    return mark;
  }

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) {
      made.className = className;
    }
    if (text) {
      made.textContent = text;
    }
    return made;
  }

  function Glossary(base, language, description) {
    this.base = base;
    this.language = language;
    this.labels = CONFIG.labels[language];
    this.description = description;
    this.details = {};
    this.detailsReady = Promise.resolve();
    this.open = null; // {mark, popover}
  }

  Glossary.prototype.entryUrl = function (slug, path) {
    return new URL(path || this.description.entry.replace("{slug}", slug), this.base).href;
  };

  Glossary.prototype.loadDetails = function (slugs) {
    var self = this;
    if (!slugs.length) {
      return;
    }
    var url = new URL(this.description.details, this.base);
    url.searchParams.set("concepts", slugs.slice().sort().slice(0, 150).join(","));
    this.detailsReady = fetch(url.href, { credentials: "include" })
      .then(function (response) {
        return response.ok ? response.json() : { concepts: {} };
      })
      .then(function (data) {
        self.details = data.concepts || {};
      })
      .catch(function () {
        self.details = {};
      });
  };

  Glossary.prototype.listen = function (mark) {
    var self = this;
    mark.addEventListener("click", function (event) {
      event.preventDefault();
      self.toggle(mark);
    });
    mark.addEventListener("keydown", function (event) {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        self.toggle(mark);
      }
    });
  };

  Glossary.prototype.toggle = function (mark) {
    var wasOpen = this.open && this.open.mark === mark;
    this.close(false);
    if (!wasOpen) {
      this.show(mark);
    }
  };

  Glossary.prototype.show = function (mark) {
    var self = this;
    var popover = document.createElement(POPOVER_TAG);
    var shadow = popover.attachShadow({ mode: "open" });
    styleFor(shadow, POPOVER_STYLE);
    var box = element("div", "box");
    box.setAttribute("role", "dialog");
    box.setAttribute("tabindex", "-1");
    box.setAttribute("lang", this.language);
    box.setAttribute("aria-label", mark.textContent);
    box.appendChild(element("p", "loading", this.labels.loading));
    var close = element("button", "close", "\u00d7");
    close.type = "button";
    close.setAttribute("aria-label", this.labels.close);
    close.addEventListener("click", function () {
      self.close(true);
    });
    shadow.appendChild(box);
    mark.after(popover);
    mark.setAttribute("aria-expanded", "true");
    this.open = { mark: mark, popover: popover, box: box };
    this.place();
    box.focus();
    this.detailsReady.then(function () {
      if (self.open && self.open.popover === popover) {
        self.fill(box, mark, close);
        self.place();
      }
    });
  };

  Glossary.prototype.fill = function (box, mark, close) {
    var slug = mark.getAttribute("data-concept");
    var found = this.details[slug];
    var title = element("p", "title");
    title.id = "glossary-title";
    title.appendChild(element("span", "term", found ? found.term : mark.textContent));
    if (found && found.acronyms.length) {
      title.appendChild(element("span", "acronyms", " (" + found.acronyms.join(", ") + ")"));
    }
    (found ? found.other : []).forEach(function (other) {
      title.appendChild(document.createTextNode(" \u00b7 "));
      var term = element("span", "other", other.term);
      term.setAttribute("lang", other.language);
      title.appendChild(term);
    });
    box.textContent = "";
    box.removeAttribute("aria-label");
    box.setAttribute("aria-labelledby", title.id);
    box.appendChild(title);
    if (found && found.definition) {
      var definition = element("p", "definition", found.definition);
      definition.setAttribute("lang", found.definition_language);
      box.appendChild(definition);
    } else if (!found) {
      box.appendChild(element("p", "unavailable", this.labels.unavailable));
    }
    var link = element("a", "entry", this.labels.entry);
    link.href = this.entryUrl(slug, found && found.url);
    var line = element("p");
    line.appendChild(link);
    box.appendChild(line);
    box.appendChild(close);
  };

  Glossary.prototype.place = function () {
    if (!this.open) {
      return;
    }
    var popover = this.open.popover;
    var rect = this.open.mark.getBoundingClientRect();
    var box = this.open.box.getBoundingClientRect();
    var left = Math.max(8, Math.min(rect.left, window.innerWidth - box.width - 8));
    var top = rect.bottom + 6;
    if (top + box.height > window.innerHeight - 8 && rect.top - box.height - 6 > 8) {
      top = rect.top - box.height - 6;
    }
    popover.style.setProperty("left", left + "px", "important");
    popover.style.setProperty("top", top + "px", "important");
  };

  Glossary.prototype.close = function (returnFocus) {
    if (!this.open) {
      return;
    }
    var open = this.open;
    this.open = null;
    open.mark.setAttribute("aria-expanded", "false");
    open.popover.remove();
    if (returnFocus) {
      open.mark.focus();
    }
  };

  Glossary.prototype.watch = function () {
    var self = this;
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && self.open) {
        event.preventDefault();
        self.close(true);
      }
    }, true);
    document.addEventListener("pointerdown", function (event) {
      if (!self.open) {
        return;
      }
      var path = event.composedPath();
      if (path.indexOf(self.open.popover) < 0 && path.indexOf(self.open.mark) < 0) {
        self.close(false);
      }
    }, true);
    document.addEventListener("focusin", function (event) {
      if (!self.open) {
        return;
      }
      var target = event.target;
      if (target !== self.open.popover && target !== self.open.mark &&
          !self.open.popover.contains(target)) {
        self.close(false);
      }
    });
    window.addEventListener("scroll", function () { self.place(); }, { passive: true });
    window.addEventListener("resize", function () { self.place(); });
  };

  // -- start ------------------------------------------------------------------------
  function pageLanguage() {
    var wanted = (script.getAttribute("data-lang") || document.documentElement.lang || "")
      .toLowerCase().split("-")[0];
    return CONFIG.languages.indexOf(wanted) >= 0 ? wanted : CONFIG.languages[0];
  }

  function start() {
    var base = new URL(script.src, document.baseURI);
    var language = pageLanguage();
    var selector = script.getAttribute("data-root");
    var roots = selector ? Array.prototype.slice.call(document.querySelectorAll(selector)) :
      [document.body];
    var perSection = script.getAttribute("data-first") === "section";
    var url = new URL("/embed/" + language + "/" + CONFIG.generation + "/terms.json", base);
    url.searchParams.set("format", CONFIG.format);
    fetch(url.href, { credentials: "include" })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (body) {
        if (body === null) {
          return;
        }
        performance.mark("glossary:index:start");
        var description = JSON.parse(body);
        var index = buildIndex(description);
        performance.measure("glossary:index", "glossary:index:start");
        performance.mark("glossary:annotate:start");
        var marks = [];
        roots.forEach(function (root) {
          marks = marks.concat(annotate(root, index, perSection));
        });
        performance.measure("glossary:annotate", "glossary:annotate:start");
        if (marks.length) {
          styleFor(document, MARK_STYLE);
        }
        var glossary = new Glossary(base, language, description);
        var slugs = new Set();
        marks.forEach(function (mark) {
          glossary.listen(mark);
          slugs.add(mark.getAttribute("data-concept"));
        });
        glossary.loadDetails(Array.from(slugs));
        glossary.watch();
        document.dispatchEvent(new CustomEvent("glossary:ready", { detail: { marks: marks.length } }));
      })
      .catch(function () {
        // The glossary unreachable or not allowed here: the page stays as it is.
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
