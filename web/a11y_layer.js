// The DOM layer over the app's canvas: a mirror of the semantic tree the app
// describes each frame (frontend/semantics/), so the canvas app behaves like a
// web page for screen readers, the keyboard, password managers, on-screen
// keyboards and the clipboard.
//
// The app calls apply(json) only for frames that changed something (see
// frontend/semantics/change_list.hpp for the format); each call touches only
// the elements and attributes that changed. Elements are positioned over what
// the canvas draws and are transparent: the canvas shows the UI, the layer
// gives it roles, names, focus and real input elements. Only text fields take
// pointer events (a tap or click on one focuses a real <input>); everything
// else lets the mouse through to the canvas.
//
// What the page does goes back to the app through the callbacks given to
// connect(): focus moves, activation (click, Enter, Space, a screen reader's
// action), text and selection of the input elements, Enter in a form, Ctrl+C,
// and the navigation keys (arrows, Home/End, Page Up/Down, Escape) for the
// app's own keyboard navigation in lists, tables and popups.
(function () {
  'use strict';

  // Bits of frontend/semantics/node.hpp `State`.
  var CHECKED = 1, SELECTED = 2, EXPANDED = 4, EXPANDABLE = 8, DISABLED = 16, INVALID = 32, READ_ONLY = 64,
    MULTISELECTABLE = 128, MODAL = 256, BUSY = 512, CURRENT = 1024;

  // Roles whose name is the element's text; the others are named by a label
  // (aria-labelledby) or aria-label.
  var NAMED_BY_TEXT = { text: 1, heading: 1, button: 1, link: 1, checkbox: 1, tab: 1, option: 1,
    columnheader: 1, gridcell: 1 };
  // Roles the keyboard can reach (the others are read, not operated).
  var INTERACTIVE = { button: 1, link: 1, checkbox: 1, combobox: 1, option: 1, textbox: 1, tab: 1 };
  // Containers placed as one piece, their nodes' bounds relative to them
  // (frontend/semantics/node.hpp places_children): a scrolled row moves alone.
  var PLACES_CHILDREN = { row: 1 };
  // Keys the app navigates with (frontend/platform/a11y_bridge.cpp maps the codes to ImGui keys).
  var NAV_KEYS = { ArrowLeft: 1, ArrowRight: 2, ArrowUp: 3, ArrowDown: 4, Home: 5, End: 6, PageUp: 7, PageDown: 8,
    Escape: 9 };

  var MOVE_SETTLE_MS = 100;
  // A scrolled grid is at rest after this long without a change, and shown in the page at least this often.
  var GRID_REST_MS = 250;
  var MOST_HELD_MS = 1000;

  var STYLE = [
    // Contained, and the nodes moved with transforms (their size set only when it changes): scrolling
    // the canvas then costs the browser no layout of the layer, nor the layer any of the page.
    '#a11y-layer{position:fixed;left:0;top:0;width:100%;height:100%;overflow:clip;pointer-events:none;contain:strict;',
    'font:16px "UI Font","DejaVu Sans",sans-serif;color:transparent;z-index:1}',
    '#a11y-layer *{color:transparent;-webkit-text-fill-color:transparent;background:transparent;',
    'user-select:none;-webkit-user-select:none}',
    // Containers (.c) lie at the layer's origin with no height; contained, each is the
    // containing block of its nodes, so a node added or removed lays out its siblings only.
    '#a11y-layer .c{position:relative;contain:layout style;margin:0}',
    '#a11y-layer .p{position:absolute;left:0;top:0;contain:size layout style}',
    '#a11y-layer .n{position:absolute;left:0;top:0;box-sizing:border-box;margin:0;padding:0;border:0;',
    'overflow:hidden;contain:size layout style;',
    'white-space:nowrap;font:inherit;line-height:1}',
    '#a11y-layer input.n,#a11y-layer textarea.n{pointer-events:auto;padding:5px 10px;line-height:1.2;',
    'caret-color:transparent;outline-offset:0;user-select:text;-webkit-user-select:text;resize:none;',
    'appearance:none;-webkit-appearance:none;font-size:16px}',
    '#a11y-layer textarea.n{white-space:pre;overflow:auto}',
    '#a11y-layer input.n::placeholder{color:transparent}',
    '#a11y-layer ::selection{background:transparent}',
    '#a11y-layer input:-webkit-autofill{transition:background-color 86400s}',
    '#a11y-layer .n:focus{outline:none}',
    '#a11y-layer .n:focus-visible,#a11y-layer input.n:focus,#a11y-layer textarea.n:focus',
    '{outline:2px solid #165ecc;outline-offset:1px}',
    '#a11y-layer .live{position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%)}',
    '@media (forced-colors:active){#a11y-layer .n:focus-visible,#a11y-layer input.n:focus,',
    '#a11y-layer textarea.n:focus{outline-color:Highlight}}',
    '@media (prefers-contrast:more){#a11y-layer .n:focus-visible,#a11y-layer input.n:focus,',
    '#a11y-layer textarea.n:focus{outline:3px solid #000;box-shadow:0 0 0 5px #fff}}',
  ].join('');

  function Layer(callbacks) {
    this.callbacks = callbacks;
    // key -> {el, key, role, input, text (Text node), sent (last value sent), opener, w and h (size set)}
    this.nodes = new Map();
    this.pendingMoves = new Map();  // key -> bounds not placed yet (moveLater)
    this.movesTimer = 0;
    this.dialogs = new Set();
    this.inerted = [];
    this.forwarded = new Set();  // key codes whose keydown went to the app (their keyup goes too)

    var style = document.createElement('style');
    style.textContent = STYLE;
    document.head.appendChild(style);
    this.root = document.createElement('div');
    this.root.id = 'a11y-layer';
    this.tree = document.createElement('div');  // the semantic tree's root (key 0)
    this.polite = this.liveRegion('status');
    this.assertive = this.liveRegion('alert');
    this.root.appendChild(this.tree);
    document.body.appendChild(this.root);
    this.listen();
  }

  Layer.prototype.liveRegion = function (role) {
    var region = document.createElement('div');
    region.className = 'live';
    region.setAttribute('role', role);
    region.setAttribute('aria-live', role === 'alert' ? 'assertive' : 'polite');
    region.setAttribute('aria-atomic', 'true');
    this.root.appendChild(region);
    return region;
  };

  // --- applying a change list ----------------------------------------------

  Layer.prototype.apply = function (json) {
    var changes = JSON.parse(json);
    var fresh = this.insideGrids(changes);
    if (fresh) {
      this.hold(changes, fresh);
      return;
    }
    if (this.held) this.applyHeld();
    this.applyChanges(changes);
  };

  // --- rows that scroll by ---------------------------------------------------

  // While a list scrolls under the mouse, rows come and go every frame. A
  // change list that touches only the inside of grids the focus is not in
  // (no focus move, nothing to announce) is held and merged with the next
  // ones until the list comes to rest (GRID_REST_MS without such a change,
  // MOST_HELD_MS at most), or applied at once before any other change: the
  // browser restyles the layer when the list rests (and at least once a
  // second) instead of every frame, and rows that passed by meanwhile never
  // become elements.
  // Returns the keys of the nodes such a list adds, or null when it is not one.
  Layer.prototype.insideGrids = function (changes) {
    if (changes.f || changes.a.length || changes.u.length + changes.d.length + changes.c.length === 0) return null;
    var held = this.held ? this.held.fresh : null;  // nodes added by held lists
    var fresh = new Set();
    var self = this;
    function inside(key) { return fresh.has(key) || (held !== null && held.has(key)) || self.inScrolledGrid(key); }
    var i;
    for (i = 0; i < changes.u.length; i++) {
      var u = changes.u[i];
      if (u.p === undefined ? !inside(u.k) : !inside(u.p) || u.r === 'dialog') return null;
      if (u.p !== undefined) fresh.add(u.k);
    }
    for (i = 0; i < changes.d.length; i++) if (!inside(changes.d[i])) return null;
    for (i = 0; i < changes.c.length; i++) if (!inside(changes.c[i][0])) return null;
    return fresh;
  };

  // The node lies in a grid (or is one) that does not hold the focus.
  Layer.prototype.inScrolledGrid = function (key) {
    var node = this.nodes.get(key);
    if (!node || !node.el.isConnected) return false;
    if (node.grid === undefined) node.grid = node.el.closest('[role=grid]');
    return node.grid !== null && !node.grid.contains(document.activeElement);
  };

  Layer.prototype.hold = function (changes, fresh) {
    var held = this.held;
    var self = this;
    if (!held) held = this.held = { u: new Map(), d: new Set(), c: new Map(), fresh: new Set(), since: Date.now() };
    clearTimeout(this.heldTimer);
    var wait = Math.min(GRID_REST_MS, held.since + MOST_HELD_MS - Date.now());
    this.heldTimer = setTimeout(function () { self.applyHeld(); }, Math.max(0, wait));
    fresh.forEach(function (key) { held.fresh.add(key); });
    var i;
    for (i = 0; i < changes.d.length; i++) {
      var key = changes.d[i];
      held.u.delete(key);  // a row that came and went while held never becomes an element
      if (this.nodes.has(key)) held.d.add(key);
    }
    for (i = 0; i < changes.u.length; i++) {
      var u = changes.u[i];
      var before = held.u.get(u.k);
      if (before) Object.assign(before, u);
      else held.u.set(u.k, u);
    }
    for (i = 0; i < changes.c.length; i++) held.c.set(changes.c[i][0], changes.c[i][1]);
  };

  Layer.prototype.applyHeld = function () {
    var held = this.held;
    clearTimeout(this.heldTimer);
    this.held = null;
    var self = this;
    var made = new Set();
    var upserts = [];
    held.u.forEach(function (u) {
      // A node added while held whose parent went meanwhile went with it.
      var parentStays = u.p === undefined || made.has(u.p) || u.p === 0 || (self.nodes.has(u.p) && !held.d.has(u.p));
      if (!parentStays) return;
      made.add(u.k);
      upserts.push(u);
    });
    var orders = [];
    held.c.forEach(function (keys, parent) { orders.push([parent, keys]); });
    this.applyChanges({ d: Array.from(held.d), u: upserts, c: orders, a: [], f: 0 });
  };

  Layer.prototype.applyChanges = function (changes) {
    var i;
    var dialogsChanged = false;
    for (i = 0; i < changes.d.length; i++) dialogsChanged = this.remove(changes.d[i]) || dialogsChanged;
    for (i = 0; i < changes.u.length; i++) dialogsChanged = this.upsert(changes.u[i]) || dialogsChanged;
    for (i = 0; i < changes.c.length; i++) this.order(changes.c[i][0], changes.c[i][1]);
    if (dialogsChanged) this.trapFocus();
    if (changes.f && this.pendingMoves.size) this.placeMoved();  // the focus may go into a row not placed yet
    if (changes.f) this.focus(changes.f);
    if (changes.a.length) this.announce(changes.a);
    this.restoreLostFocus();
  };

  Layer.prototype.element = function (key) {
    if (key === 0) return this.tree;
    var node = this.nodes.get(key);
    return node ? node.el : null;
  };

  Layer.prototype.remove = function (key) {
    var node = this.nodes.get(key);
    if (!node) return false;
    if (node.el.contains(document.activeElement)) {
      // A control of a dialog may go a frame before the dialog: the focus then goes to the dialog's opener.
      var dialog = node.el.parentElement && node.el.parentElement.closest('[role=dialog]');
      var dialogNode = dialog ? this.nodes.get(this.keyOf(dialog)) : null;
      this.lostFocusTo = node.opener || (dialogNode && dialogNode.opener) || this.lostFocusTo || 0;
    }
    node.el.remove();
    this.nodes.delete(key);
    this.pendingMoves.delete(key);
    return this.dialogs.delete(key);
  };

  function createElement(role, input) {
    var el;
    switch (role) {
      case 'button':
        el = document.createElement('button');
        el.type = 'button';
        break;
      case 'link':
        el = document.createElement('a');
        el.href = '#';
        break;
      case 'textbox':
        el = createInput(input);
        break;
      case 'form':
        el = document.createElement('form');
        el.noValidate = true;
        break;
      case 'main':
        el = document.createElement('main');
        break;
      case 'heading':
        el = document.createElement('div');
        el.setAttribute('role', 'heading');
        break;
      case 'text':
        el = document.createElement('div');
        break;
      default:
        el = document.createElement('div');
        el.setAttribute('role', role);
    }
    if (role === 'checkbox' || role === 'combobox') el.tabIndex = 0;
    if (role === 'option' || role === 'tab') el.tabIndex = -1;
    if (role === 'combobox') el.setAttribute('aria-haspopup', 'listbox');
    if (role === 'progressbar') el.setAttribute('aria-valuemin', '0');
    return el;
  }

  function createInput(kind) {
    if (kind === 'multiline') return document.createElement('textarea');
    var el = document.createElement('input');
    el.type = kind === 'current-password' ? 'password' : kind === 'email' ? 'email' : kind === 'search' ? 'search' : 'text';
    el.autocomplete = kind === 'username' ? 'username' : kind === 'current-password' ? 'current-password'
      : kind === 'email' ? 'email' : 'off';
    if (kind === 'username') el.name = 'username';
    if (kind === 'current-password') el.name = 'password';
    el.spellcheck = false;
    el.setAttribute('autocapitalize', 'none');
    return el;
  }

  // Returns true when the set of dialogs changed.
  Layer.prototype.upsert = function (u) {
    var node = this.nodes.get(u.k);
    var role = u.r !== undefined ? u.r : node.role;
    var input = u.i !== undefined ? u.i : node ? node.input : '';
    if (!node || role !== node.role || (role === 'textbox' && input !== node.input)) {
      node = this.replaceElement(node, u.k, role, input);
    }
    var el = node.el;
    if (u.n !== undefined) this.setName(node, u.n);
    if (u.v !== undefined) this.setValue(node, u.v);
    if (u.s !== undefined) this.setStates(node, u.s);
    if (u.l !== undefined && role === 'heading') el.setAttribute('aria-level', String(u.l));
    if (u.o !== undefined) setOrRemove(el, 'aria-sort', u.o === 'none' ? null : u.o);
    if (u.b !== undefined && (!isContainer(role) || PLACES_CHILDREN[role])) {
      if (onlyMoved(u) && !el.contains(document.activeElement)) {
        this.moveLater(u.k, u.b);
      } else {
        this.pendingMoves.delete(u.k);
        place(node, u.b);
      }
    }
    if (u.rel !== undefined) {
      setOrRemove(el, 'aria-labelledby', u.rel[0] ? 'a' + u.rel[0] : null);
      setOrRemove(el, 'aria-describedby', u.rel[1] ? 'a' + u.rel[1] : null);
      setOrRemove(el, 'aria-controls', u.rel[2] ? 'a' + u.rel[2] : null);
      node.opener = u.rel[3];
      node.labelled = u.rel[0] !== 0;
      if (!NAMED_BY_TEXT[role]) this.setName(node, node.name);
    }
    if (u.fig !== undefined) this.setFigures(node, u.fig);
    // Modal dialogs make the rest of the page inert.
    var modal = role === 'dialog' && node.modal;
    if (modal === this.dialogs.has(u.k)) return false;
    if (modal) this.dialogs.add(u.k);
    else this.dialogs.delete(u.k);
    return true;
  };

  function isContainer(role) {
    return !NAMED_BY_TEXT[role] && !INTERACTIVE[role] && role !== 'progressbar';
  }

  // Bounds in quarter CSS pixels [x, y, w, h]: moved with a transform, the size set only when it changes.
  function place(node, b) {
    var s = node.el.style;
    s.transform = 'translate(' + b[0] / 4 + 'px,' + b[1] / 4 + 'px)';
    if (node.w !== b[2]) s.width = (node.w = b[2]) / 4 + 'px';
    if (node.h !== b[3]) s.height = (node.h = b[3]) / 4 + 'px';
  }

  function onlyMoved(u) {
    for (var field in u) if (field !== 'k' && field !== 'b') return false;
    return true;
  }

  // A node that only moved (the canvas scrolls under it) is placed with the
  // others that moved at most MOVE_SETTLE_MS later: while a list scrolls, the
  // browser restyles the layer a few times a second instead of every frame.
  // What a node says and the focused node are always up to date at once.
  Layer.prototype.moveLater = function (key, b) {
    this.pendingMoves.set(key, b);
    if (this.movesTimer) return;
    var self = this;
    this.movesTimer = setTimeout(function () { self.placeMoved(); }, MOVE_SETTLE_MS);
  };

  Layer.prototype.placeMoved = function () {
    clearTimeout(this.movesTimer);  // when called early (the focus moves to a node not placed yet)
    this.movesTimer = 0;
    var self = this;
    this.pendingMoves.forEach(function (b, key) {
      var node = self.nodes.get(key);
      if (node) place(node, b);
    });
    this.pendingMoves.clear();
  };

  Layer.prototype.replaceElement = function (old, key, role, input) {
    var el = createElement(role, input);
    el.id = 'a' + key;
    el.className = PLACES_CHILDREN[role] ? 'c p' : isContainer(role) ? 'c' : 'n';
    var node = { el: el, key: key, role: role, input: input, name: '', text: null, sent: null, opener: 0,
      labelled: false, modal: false };
    if (NAMED_BY_TEXT[role] || role === 'combobox') {
      node.text = document.createTextNode('');
      el.appendChild(node.text);
    }
    if (old) {
      while (old.el.firstElementChild) el.appendChild(old.el.firstElementChild);
      old.el.replaceWith(el);
      node.opener = old.opener;
      node.labelled = old.labelled;
      node.name = old.name;
      el.style.cssText = old.el.style.cssText;  // its place (bounds come only when they change)
      node.w = old.w;
      node.h = old.h;
    }
    this.nodes.set(key, node);
    return node;
  };

  Layer.prototype.setName = function (node, name) {
    node.name = name;
    if (NAMED_BY_TEXT[node.role]) {
      node.text.data = name;
      return;
    }
    setOrRemove(node.el, 'aria-label', name && !node.labelled ? name : null);
  };

  Layer.prototype.setValue = function (node, value) {
    var el = node.el;
    if (node.role === 'textbox') {
      // The input element is the source of the text while it is focused:
      // skip the app's echo of what it was sent, and anything older than what
      // the user typed since.
      if (el === document.activeElement && (value === node.sent || el.value !== node.sent)) return;
      if (el.value !== value) el.value = value;
      node.sent = value;
    } else if (node.role === 'combobox') {
      node.text.data = value;
    } else if (node.role === 'progressbar') {
      setOrRemove(el, 'aria-valuetext', value || null);
    }
  };

  Layer.prototype.setStates = function (node, s) {
    var el = node.el;
    var role = node.role;
    if (role === 'checkbox') el.setAttribute('aria-checked', s & CHECKED ? 'true' : 'false');
    if (role === 'option' || role === 'tab' || role === 'row') {
      setOrRemove(el, 'aria-selected', role === 'row' && !(s & SELECTED) ? null : s & SELECTED ? 'true' : 'false');
    }
    if (role === 'tab') el.tabIndex = s & SELECTED ? 0 : -1;
    setOrRemove(el, 'aria-expanded', s & EXPANDABLE ? (s & EXPANDED ? 'true' : 'false') : null);
    setOrRemove(el, 'aria-disabled', s & DISABLED ? 'true' : null);
    setOrRemove(el, 'aria-invalid', s & INVALID ? 'true' : null);
    setOrRemove(el, 'aria-multiselectable', s & MULTISELECTABLE ? 'true' : null);
    setOrRemove(el, 'aria-busy', s & BUSY ? 'true' : null);
    setOrRemove(el, 'aria-current', s & CURRENT ? 'true' : null);
    if (role === 'textbox') el.readOnly = !!(s & (READ_ONLY | DISABLED));
    if (role === 'dialog') {
      node.modal = !!(s & MODAL);
      setOrRemove(el, 'aria-modal', node.modal ? 'true' : null);
    }
  };

  Layer.prototype.setFigures = function (node, f) {
    var el = node.el;
    if (node.role === 'grid') {
      setOrRemove(el, 'aria-rowcount', f[0] ? String(f[0]) : null);
      setOrRemove(el, 'aria-colcount', f[2] ? String(f[2]) : null);
    } else if (node.role === 'row') {
      setOrRemove(el, 'aria-rowindex', f[1] ? String(f[1]) : null);
    } else if (node.role === 'progressbar') {
      el.setAttribute('aria-valuenow', String(f[3]));
      el.setAttribute('aria-valuemax', String(f[4]));
    }
  };

  function setOrRemove(el, name, value) {
    if (value === null) {
      if (el.hasAttribute(name)) el.removeAttribute(name);
    } else if (el.getAttribute(name) !== value) {
      el.setAttribute(name, value);
    }
  }

  // Puts the element children of `parentKey` in the given order, moving only
  // those out of place.
  Layer.prototype.order = function (parentKey, keys) {
    var parent = this.element(parentKey);
    if (!parent) return;
    var children = parent.children;
    for (var i = 0; i < keys.length; i++) {
      var el = this.element(keys[i]);
      if (el && children[i] !== el) parent.insertBefore(el, children[i] || null);
    }
  };

  // --- focus ---------------------------------------------------------------

  Layer.prototype.focus = function (key) {
    var el = this.element(key);
    if (!el || el === document.activeElement || !el.isConnected) return;
    if (el.closest('[inert]')) {
      this.lostFocusTo = key;  // behind a modal dialog that goes away in a later frame: focused then
      return;
    }
    this.focusing = key;
    el.focus({ preventScroll: true });
    this.focusing = 0;
  };

  // The focused element went away (a dialog or a popup closed, a button
  // vanished): focus goes back to the dialog's opener when it had one.
  Layer.prototype.restoreLostFocus = function () {
    var target = this.lostFocusTo;
    this.lostFocusTo = undefined;
    if (target === undefined) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    if (!target) return;
    var el = this.element(target);
    if (!el) return;
    if (el.closest('[inert]')) {
      this.lostFocusTo = target;  // the modal dialog in front of it is still there: try again next time
      return;
    }
    el.focus({ preventScroll: true });
  };

  // With a modal dialog open, everything outside it is inert: Tab stays in
  // the dialog and a screen reader reads only the dialog.
  Layer.prototype.trapFocus = function () {
    var i;
    for (i = 0; i < this.inerted.length; i++) this.inerted[i].inert = false;
    this.inerted = [];
    var self = this;
    this.dialogs.forEach(function (key) {
      for (var el = self.element(key); el && el !== self.root; el = el.parentElement) {
        var siblings = el.parentElement ? el.parentElement.children : [];
        for (var j = 0; j < siblings.length; j++) {
          var sibling = siblings[j];
          if (sibling !== el && !sibling.classList.contains('live') && !sibling.inert) {
            sibling.inert = true;
            self.inerted.push(sibling);
          }
        }
      }
    });
  };

  // Tab and Shift+Tab wrap around inside the open modal dialog (the rest is
  // inert, but past its last control the browser would leave the page).
  Layer.prototype.keepTabInDialog = function (e) {
    if (!this.dialogs.size) return;
    var dialog = this.element(Array.from(this.dialogs).pop());
    if (!dialog) return;
    var stops = Array.prototype.filter.call(
      dialog.querySelectorAll('button, a[href], input, textarea, [tabindex]'), function (el) { return el.tabIndex >= 0; });
    if (!stops.length) return;
    var first = stops[0];
    var last = stops[stops.length - 1];
    var active = document.activeElement;
    var target = null;
    if (!dialog.contains(active)) target = e.shiftKey ? last : first;
    else if (!e.shiftKey && active === last) target = first;
    else if (e.shiftKey && active === first) target = last;
    if (!target) return;
    e.preventDefault();
    target.focus({ preventScroll: true });
  };

  // --- live regions --------------------------------------------------------

  Layer.prototype.announce = function (messages) {
    var polite = [];
    var assertive = [];
    for (var i = 0; i < messages.length; i++) (messages[i][0] ? assertive : polite).push(messages[i][1]);
    // A new child each time: the same words said again are a new announcement.
    if (polite.length) replaceMessage(this.polite, polite.join('. '));
    if (assertive.length) replaceMessage(this.assertive, assertive.join('. '));
  };

  function replaceMessage(region, text) {
    var line = document.createElement('div');
    line.textContent = text;
    if (region.firstChild) region.replaceChild(line, region.firstChild);
    else region.appendChild(line);
  }

  // --- events from the page ------------------------------------------------

  Layer.prototype.keyOf = function (el) {
    for (; el && el !== this.tree; el = el.parentElement) {
      if (el.id && el.id.charAt(0) === 'a') {
        var key = Number(el.id.slice(1));
        if (this.nodes.has(key)) return key;
      }
    }
    return 0;
  };

  Layer.prototype.sendEdit = function (el) {
    var key = this.keyOf(el);
    var node = this.nodes.get(key);
    if (!node || node.role !== 'textbox') return;
    node.sent = el.value;
    this.callbacks.edit(key, el.value, el.selectionStart || 0, el.selectionEnd || 0);
  };

  Layer.prototype.listen = function () {
    var self = this;
    var tree = this.tree;
    tree.addEventListener('focusin', function (e) {
      var key = self.keyOf(e.target);
      // A focus the app moved itself is only reported, not requested back (a
      // late echo must not pull the app's focus back while arrows move it on).
      if (key) self.callbacks.focus(key, key === self.focusing);
    });
    tree.addEventListener('focusout', function (e) {
      if (!e.relatedTarget || !tree.contains(e.relatedTarget)) self.callbacks.focus(0);
    });
    tree.addEventListener('click', function (e) {
      var key = self.keyOf(e.target);
      var node = self.nodes.get(key);
      if (!node || node.role === 'textbox') return;
      e.preventDefault();
      if (INTERACTIVE[node.role]) self.callbacks.activate(key);
    });
    tree.addEventListener('input', function (e) { self.sendEdit(e.target); });
    // The wheel over a text field scrolls what the canvas shows under it.
    tree.addEventListener('wheel', function (e) {
      var canvas = document.getElementById('canvas');
      if (!canvas) return;
      e.preventDefault();
      canvas.dispatchEvent(new WheelEvent('wheel', e));
    }, { passive: false });
    tree.addEventListener('submit', function (e) {
      e.preventDefault();
      var form = e.target;
      for (var i = 0; i < form.elements.length; i++) self.sendEdit(form.elements[i]);  // autofilled values
      self.callbacks.submit(self.keyOf(document.activeElement) || self.keyOf(form));
    });
    document.addEventListener('selectionchange', function () {
      var el = document.activeElement;
      if (el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') && tree.contains(el)) self.sendEdit(el);
    });
    window.addEventListener('keydown', function (e) { self.onKey(e, true); });
    window.addEventListener('keyup', function (e) { self.onKey(e, false); });
    window.addEventListener('blur', function () { self.releaseKeys(); });
  };

  Layer.prototype.forward = function (e, down) {
    var code = NAV_KEYS[e.key];
    if (!code) return false;
    if (down) this.forwarded.add(code);
    else if (!this.forwarded.delete(code)) return false;
    this.callbacks.key(code, down, e.shiftKey, e.ctrlKey, e.altKey, e.metaKey);
    return true;
  };

  Layer.prototype.releaseKeys = function () {
    var self = this;
    this.forwarded.forEach(function (code) { self.callbacks.key(code, false, false, false, false, false); });
    this.forwarded.clear();
  };

  var MODIFIERS = { Shift: 1, Control: 1, Alt: 1, Meta: 1 };

  Layer.prototype.onKey = function (e, down) {
    if (e.isComposing || e.keyCode === 229) return;  // the IME has the keys
    if (MODIFIERS[e.key]) {
      // The app's navigation reads Shift (extend a selection): keep it current.
      this.callbacks.key(0, down, e.shiftKey, e.ctrlKey, e.altKey, e.metaKey);
      return;
    }
    if (!down) {
      if (this.forward(e, false)) e.preventDefault();
      return;
    }
    if (e.defaultPrevented) return;
    var el = document.activeElement;
    var key = this.tree.contains(el) ? this.keyOf(el) : 0;
    var node = key ? this.nodes.get(key) : null;
    var role = node ? node.role : '';
    var typing = role === 'textbox';
    var multiline = typing && node.input === 'multiline';

    if (e.key === 'Tab') {
      this.keepTabInDialog(e);
      return;  // otherwise the browser moves the focus in document (= visual) order
    }
    if (e.key === 'Enter') {
      if (multiline) return;
      e.preventDefault();
      if (typing) {
        this.sendEdit(el);
        if (el.form) el.form.requestSubmit();
        else this.callbacks.submit(key);
      } else if (role === 'checkbox' || !INTERACTIVE[role]) {
        this.callbacks.submit(key);  // Enter in a form runs its action (Load), also from a checkbox
      } else {
        this.callbacks.activate(key);
      }
      return;
    }
    if (e.key === ' ' && !typing) {
      if (INTERACTIVE[role]) {
        e.preventDefault();
        this.callbacks.activate(key);
      }
      return;
    }
    if ((e.ctrlKey || e.metaKey) && (e.key === 'c' || e.key === 'C') && !typing) {
      var selection = window.getSelection();
      if (selection && !selection.isCollapsed) return;
      e.preventDefault();
      this.callbacks.copy(key);
      return;
    }
    if (typing) return;  // caret keys, Escape, shortcuts: the input element's own
    if (this.forward(e, true)) e.preventDefault();
  };

  window.invitesA11y = {
    // callbacks: focus(key, fromApp), activate(key), edit(key, text, selectionStart, selectionEnd),
    // submit(key), copy(key), key(code, down, shift, ctrl, alt, meta)
    connect: function (callbacks) {
      var layer = new Layer(callbacks);
      window.invitesA11y.layer = layer;
      return layer;
    },
  };
})();
