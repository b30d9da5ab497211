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
    var copied = false
    try { copied = document.execCommand('copy') } finally { document.body.removeChild(area) }
    return copied ? Promise.resolve() : Promise.reject(new Error('copy refused'))
  }
  document.querySelectorAll('.code-block').forEach(function (block) {
    var code = block.querySelector('code')
    if (!code) return
    var button = document.createElement('button')
    button.type = 'button'
    button.className = 'copy-button'
    button.textContent = 'Copy'
    var status = document.createElement('span')  // says what happened to screen-reader users too
    status.className = 'visually-hidden'
    status.setAttribute('role', 'status')
    button.addEventListener('click', function () {
      copyText(code.innerText).then(function () {
        button.textContent = 'Copied'
        status.textContent = 'Code copied to the clipboard'
      }, function () {
        button.textContent = 'Copy failed'
        status.textContent = 'The code could not be copied'
      }).then(function () {
        setTimeout(function () { button.textContent = 'Copy'; status.textContent = '' }, 2000)
      })
    })
    block.insertBefore(status, block.firstChild)
    block.insertBefore(button, block.firstChild)
  })
})()
