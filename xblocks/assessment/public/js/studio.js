/* The author's editor: fill the form from the block's values, send them to studio_submit, and
 * show every problem the server names beside its field (criterion, level or scenario included),
 * listed together at the top with a link to each. */
function CredpluginAssessmentStudio(runtime, element, initArgs) {
    'use strict';
    var host = element.jquery ? element[0] : element;
    var root = host.querySelector('.cpa-studio');
    var form = root.querySelector('.cpa-studio-form');
    var live = root.querySelector('.cpa-live');
    var values = JSON.parse(JSON.stringify(initArgs.values || {}));

    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
        return match ? decodeURIComponent(match[1]) : '';
    }

    function read(path) {
        return path.split('.').reduce(function (value, key) {
            return value === undefined || value === null ? undefined : value[key];
        }, values);
    }

    function write(target, path, value) {
        var keys = path.split('.');
        var last = keys.pop();
        keys.forEach(function (key) {
            if (typeof target[key] !== 'object' || target[key] === null) { target[key] = {}; }
            target = target[key];
        });
        target[last] = value;
    }

    var labels = JSON.parse(root.dataset.labels || '{}');
    var editors = CredpluginAssessmentEditors(labels);
    var rich = CredpluginRichText(labels);
    form.querySelectorAll('textarea[data-type="rich"]').forEach(rich.enhance);
    var badgeArt = CredpluginBadgeArtwork(form.querySelector('.cpa-artwork'), root.dataset.artworkUrl, csrfToken, function (errors, error) {
        problems.show(form, errors, null, error, 'badge.artwork');
    });
    var colours = CredpluginColours(form.querySelector('.cpa-colours'), labels, root.dataset.accentDefault);
    // A problem with a rich-text field points at the editor the author types in.
    var problems = CredpluginProblems(function (scope, field) {
        var found = editors.locate(scope, field);
        return found && found.dataset.type === 'rich' ? rich.target(found) : found;
    });
    form.addEventListener('click', editors.onClick);

    function fill() {
        form.querySelectorAll('[data-field]').forEach(function (input) {
            var value = read(input.dataset.field);
            var type = input.dataset.type;
            if (type === 'rubric') { editors.fillRubric(input, value); return; }
            if (type === 'scenarios') { editors.fillScenarios(input, value); return; }
            if (type === 'bool') { input.checked = !!value; return; }
            if (type === 'rich') { rich.set(input, value); return; }
            if (type === 'artwork') { badgeArt.show(value); return; }
            if (input.tagName === 'SELECT' && (value === null || value === undefined)) { input.selectedIndex = 0; return; }
            if (type === 'lines') { input.value = (value || []).join('\n'); return; }
            if (type === 'csv') { input.value = (value || []).join(', '); return; }
            if (type === 'json') { input.value = value && value.length ? JSON.stringify(value, null, 2) : ''; return; }
            input.value = value === null || value === undefined ? '' : value;
        });
        colours.refresh();
    }

    // Typed JSON, or the text itself for the server to name the problem under its field.
    function readJson(text) {
        if (!text.trim()) { return []; }
        try { return JSON.parse(text); } catch (error) { return text; }
    }

    function collect() {
        var collected = JSON.parse(JSON.stringify(values));
        form.querySelectorAll('[data-field]').forEach(function (input) {
            var type = input.dataset.type;
            var value = input.value;
            if (type === 'rubric') { value = editors.readRubric(input); }
            else if (type === 'scenarios') { value = editors.readScenarios(input); }
            else if (type === 'bool') { value = input.checked; }
            else if (type === 'rich') { value = rich.get(input); }
            else if (type === 'artwork') { value = input.dataset.artwork || ''; }
            else if (type === 'int' || type === 'number') { value = value.trim() === '' ? null : Number(value); }
            else if (type === 'lines') { value = value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean); }
            else if (type === 'csv') { value = value.split(',').map(function (item) { return item.trim(); }).filter(Boolean); }
            else if (type === 'json') { value = readJson(value); }
            write(collected, input.dataset.field, value);
        });
        return collected;
    }

    function clearArtworkProblem() { problems.clearField(form, 'badge.artwork'); }
    form.querySelector('.cpa-artwork').addEventListener('cpa-artwork-changed', clearArtworkProblem);

    function showProblems(answer) {
        problems.show(form, answer.errors, root.dataset.msgProblems, answer.error);
    }

    function post(url, body) {
        return fetch(url, {
            method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrfToken()},
            body: JSON.stringify(body)
        }).then(function (response) {
            return response.json().then(function (data) { return {ok: response.ok, data: data}; });
        });
    }

    form.addEventListener('submit', function (event) {
        event.preventDefault();
        var collected = collect();
        problems.clear(form);
        live.textContent = '';
        if (runtime.notify) { runtime.notify('save', {state: 'start'}); }
        post(root.dataset.submitUrl, {values: collected}).then(function (answer) {
            if (!answer.ok) {
                showProblems(answer.data);
                if (runtime.notify) { runtime.notify('error', {title: 'Error', message: answer.data.error}); }
                return;
            }
            values = collected;
            live.textContent = answer.data.message;
            if (runtime.notify) { runtime.notify('save', {state: 'end'}); }
        });
    });

    // The learner view and the badge from the unsaved values; the form is left as it is.
    var preview = root.querySelector('.cpa-studio-preview');
    root.querySelector('.cpa-preview-button').addEventListener('click', function () {
        problems.clear(form);
        live.textContent = '';
        post(root.dataset.previewUrl, {values: collect()}).then(function (answer) {
            if (!answer.ok) {
                problems.show(form, answer.data.errors, root.dataset.msgPreviewProblems, answer.data.error);
                return;
            }
            preview.querySelector('.cpa-preview-badge').innerHTML = answer.data.badge_html;
            var learner = preview.querySelector('.cpa-preview-learner');
            learner.innerHTML = answer.data.learner_html;
            // The learner's controls are shown as they look, but do nothing here.
            learner.querySelectorAll('input, textarea, select, button').forEach(function (control) { control.disabled = true; });
            preview.hidden = false;
            preview.focus();
        });
    });

    root.querySelector('.cpa-load-template').addEventListener('click', function () {
        post(root.dataset.templateUrl, {name: 'ethics_hiring_bias'}).then(function (answer) {
            if (!answer.ok) { showProblems(answer.data); return; }
            values = answer.data.values;
            fill();
            form.querySelector('[data-field="display_name"]').focus();
        });
    });

    root.querySelector('.cpa-cancel').addEventListener('click', function () {
        if (runtime.notify) { runtime.notify('cancel', {}); }
    });

    fill();
}
