// Adds a "Copy" button to every code block. Without JavaScript there is no button, and nothing breaks.
(function () {
  'use strict'
  function copyText (text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text)
    var area = document.createElement('textarea')
    area.value = text
    area.setAttribute('readonly', '')
    area.style.position = 'absolute'
    area.style.left = '-9999px'
    document.body.appendChild(area)
    area.select()
    try { document.execCommand('copy') } finally { document.body.removeChild(area) }
    return Promise.resolve()
  }
  document.querySelectorAll('.code-block').forEach(function (block) {
    var code = block.querySelector('code')
    if (!code) return
    var button = document.createElement('button')
    button.type = 'button'
    button.className = 'copy-button'
    button.textContent = 'Copy'
    button.setAttribute('aria-label', 'Copy code to clipboard')
    button.addEventListener('click', function () {
      copyText(code.innerText).then(function () {
        button.textContent = 'Copied'
        setTimeout(function () { button.textContent = 'Copy' }, 2000)
      }, function () { button.textContent = 'Copy failed' })
    })
    block.insertBefore(button, block.firstChild)
  })
})()
