// Term previews: hovering or focusing a link to a term shows its title, level, area and definition.
// The data comes from the page itself (a JSON script made at build time); no page is fetched.
// Escape dismisses it. On touch screens the first tap shows it, with a link through to the term.
(function () {
  'use strict'
  var data = document.getElementById('term-previews')
  if (!data) return
  var previews = JSON.parse(data.textContent)
  var box = document.createElement('div')
  box.id = 'term-preview'
  box.className = 'term-preview'
  box.setAttribute('role', 'tooltip')
  box.hidden = true
  document.body.appendChild(box)
  var shownFor = null
  var hideTimer = null

  function previewFor (link) {
    if (!link || !link.href || link.closest('.term-preview')) return null
    var url = new URL(link.href, document.baseURI)
    if (url.origin !== window.location.origin || url.pathname === window.location.pathname) return null
    return previews[url.pathname] || null
  }

  function show (link, withLink) {
    var preview = previewFor(link)
    if (!preview) return
    clearTimeout(hideTimer)
    box.textContent = ''
    var title = document.createElement('p')
    title.className = 'term-preview-title'
    title.textContent = preview[0]
    var meta = document.createElement('p')
    meta.className = 'term-preview-meta'
    meta.textContent = preview[1] + ' · ' + preview[2]
    var definition = document.createElement('p')
    definition.className = 'term-preview-definition'
    definition.textContent = preview[3]
    box.appendChild(title)
    box.appendChild(meta)
    box.appendChild(definition)
    if (withLink) {
      var through = document.createElement('a')
      through.href = link.href
      through.textContent = 'Open ' + preview[0] + ' →'
      box.appendChild(through)
    }
    box.hidden = false
    var rect = link.getBoundingClientRect()
    var width = Math.min(352, document.documentElement.clientWidth - 16)
    box.style.width = width + 'px'
    var left = Math.max(8, Math.min(rect.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - width - 8))
    box.style.left = left + 'px'
    box.style.top = (rect.bottom + window.scrollY + 6) + 'px'
    if (shownFor && shownFor !== link) shownFor.removeAttribute('aria-describedby')
    link.setAttribute('aria-describedby', 'term-preview')
    shownFor = link
  }

  function hide () {
    box.hidden = true
    if (shownFor) shownFor.removeAttribute('aria-describedby')
    shownFor = null
  }

  function linkOf (event) {
    return event.target && event.target.closest ? event.target.closest('a[href]') : null
  }

  document.addEventListener('mouseover', function (event) {
    var link = linkOf(event)
    if (link && previewFor(link)) show(link, false)
  })
  document.addEventListener('mouseout', function (event) {
    var link = linkOf(event)
    if (link && link === shownFor) hideTimer = setTimeout(hide, 300)
  })
  // The preview can be hovered itself (to read or select it) without vanishing.
  box.addEventListener('mouseenter', function () { clearTimeout(hideTimer) })
  box.addEventListener('mouseleave', function () { hideTimer = setTimeout(hide, 300) })
  document.addEventListener('focusin', function (event) {
    var link = linkOf(event)
    if (link && previewFor(link)) show(link, false)
    else if (!box.contains(event.target)) hide()
  })
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && !box.hidden) hide()
  })
  // Touch: the first tap on a term link shows its preview instead of leaving the page; a second tap on
  // the same link follows it. (Taps also fire mouseover, so the hover preview cannot tell them apart.)
  var pointer = ''
  var tapped = null
  document.addEventListener('pointerdown', function (event) { pointer = event.pointerType }, { passive: true })
  document.addEventListener('keydown', function () { pointer = '' })
  document.addEventListener('click', function (event) {
    var link = linkOf(event)
    var touch = pointer === 'touch'
    pointer = ''
    if (!touch || !link || !previewFor(link)) {
      if (!box.contains(event.target)) hide()
      return
    }
    if (tapped === link) return
    event.preventDefault()
    tapped = link
    show(link, true)
  })
})()
