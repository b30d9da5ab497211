// Type-ahead search over an index made at build time (search/names.json, then search/text.json).
// Ranking: an exact title or alias first, then names that start with the query, then names with a word
// that starts with it, then matches anywhere in a name or definition. "/" focuses the box; arrows move;
// Enter opens; Escape closes. Without JavaScript the form leads to the A–Z index.
(function () {
  'use strict'
  var form = document.querySelector('form.search')
  if (!form) return
  var input = form.querySelector('.search-input')
  var list = form.querySelector('.search-results')
  var status = form.querySelector('.search-status')
  var base = form.getAttribute('data-base')
  var indexBase = form.getAttribute('data-index')
  var LIMIT = 8
  var names = null
  var levels = []
  var texts = null
  var loading = null
  var results = []
  var active = -1
  var selected = null  // the entry the arrow keys last chose

  function fold (text) {
    return text.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/\s+/g, ' ').trim()
  }
  function fetchJson (name) {
    return fetch(indexBase + name).then(function (r) { if (!r.ok) throw new Error(r.status); return r.json() })
  }
  function loadNames () {
    if (!loading) {
      loading = fetchJson('names.json').catch(function (error) { loading = null; throw error }).then(function (data) {
        levels = data.levels
        names = data.entries.map(function (e) {
          var all = [e[2]].concat(e.slice(4))  // the title, then the aliases
          return { kind: e[0], slug: e[1], title: e[2], level: levels[e[3]] || '', names: all, folded: all.map(fold) }
        })
      })
    }
    return loading
  }
  function loadText () {
    if (texts === null) {
      texts = []
      fetchJson('text.json').then(function (data) {
        texts = data.text.map(fold)
        if (!list.hidden) search()  // add text matches to results still on screen
      }, function () { texts = [] })
    }
  }

  function rank (entry, index, query) {
    var best = 9
    var via = null
    entry.folded.forEach(function (name, i) {
      var r = name === query ? 0 : name.indexOf(query) === 0 ? 1
        : (' ' + name).indexOf(' ' + query) !== -1 ? 2 : name.indexOf(query) !== -1 ? 3 : 9
      if (r < best) { best = r; via = i > 0 ? entry.names[i] : null }
    })
    if (best === 9 && texts && texts[index] && texts[index].indexOf(query) !== -1) best = 4
    return { rank: best, via: via }
  }

  function search () {
    var query = fold(input.value)
    results = []
    if (query && names) {
      names.forEach(function (entry, index) {
        var found = rank(entry, index, query)
        if (found.rank < 9) results.push({ entry: entry, rank: found.rank, via: found.via })
      })
      results.sort(function (a, b) {
        return a.rank - b.rank || (a.entry.kind === b.entry.kind ? 0 : a.entry.kind === 't' ? -1 : 1) ||
          a.entry.title.length - b.entry.title.length || (a.entry.title < b.entry.title ? -1 : 1)
      })
      results = results.slice(0, LIMIT)
    }
    show(query)
  }

  function href (entry) {
    return base + (entry.kind === 't' ? 'terms/' : 'lessons/') + entry.slug + '/'
  }

  function show (query) {
    list.textContent = ''
    var keep = results.map(function (r) { return r.entry }).indexOf(selected)
    active = keep >= 0 ? keep : results.length ? 0 : -1  // text matches arriving late keep the reader's choice
    results.forEach(function (result, i) {
      var item = document.createElement('li')
      item.id = 'search-result-' + i
      item.setAttribute('role', 'option')
      var title = document.createElement('span')
      title.className = 'search-result-title'
      title.textContent = result.entry.title
      item.appendChild(title)
      var meta = document.createElement('span')
      meta.className = 'search-result-meta'
      meta.textContent = (result.via ? 'also called ' + result.via + ' · ' : '') +
        (result.entry.kind === 't' ? 'term' : 'lesson') + ' · ' + result.entry.level
      item.appendChild(meta)
      item.addEventListener('mousedown', function (event) { event.preventDefault() })
      item.addEventListener('click', function () { open(i) })
      list.appendChild(item)
    })
    var visible = !!query
    if (visible && !results.length) {
      var none = document.createElement('li')
      none.setAttribute('role', 'presentation')
      none.className = 'search-none'
      none.textContent = 'No matches. Browse the A–Z index instead.'
      list.appendChild(none)
    }
    list.hidden = !visible
    input.setAttribute('aria-expanded', visible ? 'true' : 'false')
    status.textContent = visible ? (results.length ? results.length + ' results' : 'No results') : ''
    highlight()
  }

  function highlight () {
    Array.prototype.forEach.call(list.querySelectorAll('[role=option]'), function (item, i) {
      item.setAttribute('aria-selected', i === active ? 'true' : 'false')
    })
    if (active >= 0) input.setAttribute('aria-activedescendant', 'search-result-' + active)
    else input.removeAttribute('aria-activedescendant')
  }

  function open (i) {
    if (results[i]) window.location.href = href(results[i].entry)
  }

  function close () {
    list.hidden = true
    input.setAttribute('aria-expanded', 'false')
    input.removeAttribute('aria-activedescendant')
  }

  input.addEventListener('focus', function () { loadNames() })
  input.addEventListener('input', function () {
    selected = null
    loadNames().then(function () { search(); loadText() }, function () {
      status.textContent = 'Search is not available right now; use the A–Z index.'
    })
  })
  input.addEventListener('keydown', function (event) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!results.length) return
      event.preventDefault()
      active = (active + (event.key === 'ArrowDown' ? 1 : results.length - 1)) % results.length
      selected = results[active].entry
      highlight()
    } else if (event.key === 'Enter') {
      event.preventDefault()
      if (list.hidden || !results.length) {
        loadNames().then(function () { search(); open(0) })
      } else {
        open(active < 0 ? 0 : active)
      }
    } else if (event.key === 'Escape') {
      if (!list.hidden) { event.preventDefault(); close() } else { input.blur() }
    }
  })
  input.addEventListener('blur', function () { setTimeout(close, 150) })
  form.addEventListener('submit', function (event) { event.preventDefault() })
  document.addEventListener('keydown', function (event) {
    var target = event.target
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault()
      input.focus()
    }
  })
})()
