// The theme toggle: light or dark, remembered in localStorage. Without JavaScript (or a saved choice)
// the page follows the reader's colour-scheme preference. The inline script in <head> applies a saved
// choice before the first paint.
(function () {
  'use strict'
  var KEY = 'glossary-theme'
  var root = document.documentElement
  var button = document.querySelector('.theme-toggle')
  if (!button) return
  function current () {
    return root.getAttribute('data-theme') ||
      (window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')
  }
  function show () {  // one label, "Dark theme", pressed or not: what a screen reader says stays true
    button.setAttribute('aria-pressed', current() === 'dark' ? 'true' : 'false')
    button.textContent = 'Dark theme'
  }
  button.addEventListener('click', function () {
    var next = current() === 'dark' ? 'light' : 'dark'
    root.setAttribute('data-theme', next)
    try { window.localStorage.setItem(KEY, next) } catch (e) { /* storage may be off */ }
    show()
  })
  button.hidden = false
  show()
})()
