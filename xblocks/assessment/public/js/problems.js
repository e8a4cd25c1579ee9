/* Problems shown where the eye is, for the learner's, the mentor's and the author's forms.
 *
 * Each problem sits beside its field (the field gets aria-invalid and aria-describedby), and
 * after a refused save they are listed together, each linked to its field, in a summary that
 * receives focus. Sections folded away (<details>) open so a marked field is never hidden.
 * CredpluginProblems(locate) takes locate(scope, field) -> the element a field name points at.
 */
function CredpluginProblems(locate) {
    'use strict';
    var counter = 0;

    function focusable(element) {
        if (element.matches('input, textarea, select, button, [contenteditable="true"]')) { return element; }
        return element.querySelector('input:not([disabled]), textarea, select, button') || element;
    }

    function reveal(element) {
        for (var details = element.closest('details'); details; details = details.parentElement.closest('details')) {
            details.open = true;
        }
    }

    function unmark(note) {
        var control = document.getElementById(note.dataset.control);
        if (control) {
            var described = (control.getAttribute('aria-describedby') || '').split(' ').filter(function (id) { return id && id !== note.id; });
            if (described.length) { control.setAttribute('aria-describedby', described.join(' ')); }
            else { control.removeAttribute('aria-describedby'); }
            control.removeAttribute('aria-invalid');
        }
        note.remove();
    }

    // Problems of fields named `prefix…` (of every field, and the summary, without one).
    function clear(scope, prefix) {
        scope.querySelectorAll('.cpa-field-error').forEach(function (note) {
            if (!prefix || note.dataset.problemFor.indexOf(prefix) === 0) { unmark(note); }
        });
        if (prefix) { return; }
        var summary = scope.querySelector('.cpa-error-summary');
        if (summary) { summary.hidden = true; summary.textContent = ''; }
    }

    function clearField(scope, field) {
        scope.querySelectorAll('.cpa-field-error').forEach(function (note) {
            if (note.dataset.problemFor === field) { unmark(note); }
        });
    }

    function mark(element, field, message) {
        var control = focusable(element);
        counter += 1;
        if (!control.id) { control.id = 'cpa-problem-field-' + counter; }
        var note = document.createElement('p');
        note.className = 'cpa-field-error';
        note.id = 'cpa-problem-' + counter;
        note.dataset.problemFor = field;
        note.dataset.control = control.id;
        note.textContent = message;
        var legend = element.matches('fieldset') && element.querySelector(':scope > legend');
        if (legend) { legend.insertAdjacentElement('afterend', note); }
        else { element.insertAdjacentElement('afterend', note); }
        control.setAttribute('aria-describedby', ((control.getAttribute('aria-describedby') || '') + ' ' + note.id).trim());
        if (control.matches('input, textarea, select, [role="textbox"]')) { control.setAttribute('aria-invalid', 'true'); }
        reveal(element);
        return control;
    }

    function link(control, message) {
        var anchor = document.createElement('a');
        anchor.href = '#' + control.id;
        anchor.textContent = message;
        anchor.addEventListener('click', function (event) {
            event.preventDefault();
            reveal(control);
            control.focus();
        });
        return anchor;
    }

    // Mark every problem in `scope`; with a `summary` heading also list them above the buttons
    // and move focus there. `fallback` is listed when no problem names a field.
    function show(scope, problems, summary, fallback, prefix) {
        clear(scope, prefix);
        var items = [];
        (problems || []).forEach(function (problem) {
            var element = locate(scope, problem.field);
            items.push({message: problem.message, control: element ? mark(element, problem.field, problem.message) : null});
        });
        if (!items.length && fallback) { items.push({message: fallback, control: null}); }
        var box = scope.querySelector('.cpa-error-summary');
        if (!summary || !box || !items.length) { return; }
        var heading = document.createElement('h4');
        heading.textContent = summary;
        var list = document.createElement('ul');
        items.forEach(function (item) {
            var entry = document.createElement('li');
            if (item.control) { entry.appendChild(link(item.control, item.message)); }
            else { entry.textContent = item.message; }
            list.appendChild(entry);
        });
        box.appendChild(heading);
        box.appendChild(list);
        box.hidden = false;
        box.focus();
    }

    return {show: show, clear: clear, clearField: clearField, focusable: focusable};
}
