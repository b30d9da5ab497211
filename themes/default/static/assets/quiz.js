// Lesson quizzes: check an answer, explain it, keep a score, and remember progress in localStorage.
// The form works without this script: every answer is then in a <details> under its question.
(function () {
  'use strict'
  var STORE_PREFIX = 'glossary-quiz:'

  function load (key) {
    try { return JSON.parse(window.localStorage.getItem(key)) || {} } catch (e) { return {} }
  }
  function save (key, value) {
    try { window.localStorage.setItem(key, JSON.stringify(value)) } catch (e) { /* storage may be off */ }
  }
  function forget (key) {
    try { window.localStorage.removeItem(key) } catch (e) { /* storage may be off */ }
  }

  function setUp (form) {
    var key = STORE_PREFIX + form.getAttribute('data-quiz')
    var progress = load(key)
    var questions = Array.prototype.slice.call(form.querySelectorAll('.quiz-question'))
    var summary = form.querySelector('.quiz-summary')
    var score = form.querySelector('.quiz-score')

    function inputs (question) {
      return Array.prototype.slice.call(question.querySelectorAll('input'))
    }
    function selected (question) {
      return inputs(question).filter(function (i) { return i.checked }).map(function (i) { return Number(i.value) })
    }
    function correctChoices (question) {
      return question.getAttribute('data-correct').trim().split(/\s+/).map(Number)
    }
    function sameSet (a, b) {
      return a.length === b.length && a.every(function (x) { return b.indexOf(x) !== -1 })
    }

    function clearFeedback (question) {
      question.classList.remove('is-correct', 'is-incorrect')
      question.querySelector('.quiz-feedback').textContent = ''
      question.querySelectorAll('.quiz-choice-feedback').forEach(function (f) { f.hidden = true })
      var answer = question.querySelector('.quiz-answer')
      answer.hidden = true
      answer.open = false
    }

    // Shows the verdict, the picked choices' feedback and (once right) the explanation where they
    // already are in the page; the live region gets their text only, so no id is ever duplicated.
    function showFeedback (question, choices) {
      var right = sameSet(choices, correctChoices(question))
      clearFeedback(question)
      question.classList.add(right ? 'is-correct' : 'is-incorrect')
      var said = [right ? '✓ Correct.' : '✗ Not quite.']
      choices.forEach(function (index) {
        var own = question.querySelector('.quiz-choice-feedback[data-choice="' + index + '"]')
        if (own) {
          own.hidden = false
          said.push(own.textContent.trim())
        }
      })
      var answer = question.querySelector('.quiz-answer')
      answer.hidden = false
      if (right) {
        answer.open = true
        said.push(question.querySelector('.quiz-explanation').textContent.trim())
      } else {
        said.push('Try another answer, or open “Show the answer” below.')
      }
      question.querySelector('.quiz-feedback').textContent = said.join(' ')
      return right
    }

    function updateScore () {
      var answered = questions.filter(function (q) { return progress[q.getAttribute('data-question')] })
      var right = answered.filter(function (q) { return progress[q.getAttribute('data-question')].correct })
      summary.hidden = answered.length === 0
      if (answered.length === questions.length) {
        score.textContent = 'Your score: ' + right.length + ' out of ' + questions.length + '.'
      } else {
        score.textContent = right.length + ' of ' + answered.length + ' answered questions correct; ' +
          (questions.length - answered.length) + ' to go.'
      }
    }

    function check (question) {
      var choices = selected(question)
      var feedback = question.querySelector('.quiz-feedback')
      if (choices.length === 0) {
        clearFeedback(question)
        feedback.textContent = 'Choose an answer first.'
        return
      }
      var right = showFeedback(question, choices)
      progress[question.getAttribute('data-question')] = { selected: choices, correct: right }
      save(key, progress)
      updateScore()
    }

    questions.forEach(function (question) {
      question.querySelector('.quiz-controls').hidden = false
      question.querySelector('.quiz-answer').hidden = true
      question.querySelector('.quiz-check').addEventListener('click', function () { check(question) })
      inputs(question).forEach(function (input) {
        input.addEventListener('keydown', function (event) {
          if (event.key === 'Enter') { event.preventDefault(); check(question) }
        })
      })
      var saved = progress[question.getAttribute('data-question')]
      if (saved && Array.isArray(saved.selected)) {
        // Restoring is not news: keep the live region quiet while it fills.
        var region = question.querySelector('.quiz-feedback')
        region.setAttribute('aria-live', 'off')
        inputs(question).forEach(function (input) { input.checked = saved.selected.indexOf(Number(input.value)) !== -1 })
        showFeedback(question, saved.selected)
        setTimeout(function () { region.setAttribute('aria-live', 'polite') }, 0)
      }
    })

    form.addEventListener('submit', function (event) { event.preventDefault() })
    form.querySelector('.quiz-retry').addEventListener('click', function () {
      progress = {}
      forget(key)
      questions.forEach(function (question) {
        inputs(question).forEach(function (input) { input.checked = false })
        clearFeedback(question)
      })
      updateScore()
      inputs(questions[0])[0].focus()
    })
    updateScore()
  }

  document.querySelectorAll('form.quiz-form').forEach(setUp)
})()
