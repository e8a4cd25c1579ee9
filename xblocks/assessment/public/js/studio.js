/* The author's editor: fill the form from the block's values, send them to studio_submit, and
 * show the server's validation message (it names the exact criterion, level or scenario). */
function CredpluginAssessmentStudio(runtime, element, initArgs) {
    'use strict';
    var host = element.jquery ? element[0] : element;
    var root = host.querySelector('.cpa-studio');
    var form = root.querySelector('.cpa-studio-form');
    var errors = root.querySelector('.cpa-studio-errors');
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
    var idCounter = 0;

    function newId(prefix) {
        idCounter += 1;
        return prefix + '-' + Date.now().toString(36) + idCounter;
    }

    function label(text, number) { return text.replace('{number}', String(number)); }

    // One labelled input; every control the editor builds has a real <label for>.
    function control(tag, text, value, attrs) {
        var wrapper = document.createElement('div');
        var id = newId('cpa-f');
        var caption = document.createElement('label');
        caption.setAttribute('for', id);
        caption.textContent = text;
        var input = document.createElement(tag);
        input.id = id;
        Object.keys(attrs || {}).forEach(function (key) { input.setAttribute(key, attrs[key]); });
        input.value = value === undefined || value === null ? '' : value;
        wrapper.appendChild(caption);
        wrapper.appendChild(input);
        return wrapper;
    }

    function button(text, className) {
        var element = document.createElement('button');
        element.type = 'button';
        element.className = 'cpa-button ' + className;
        element.textContent = text;
        return element;
    }

    function levelRow(criterionBox, level) {
        var row = document.createElement('fieldset');
        row.className = 'cpa-level-editor';
        row.dataset.levelId = level.id || newId('level');
        var legend = document.createElement('legend');
        row.appendChild(legend);
        row.appendChild(control('input', labels.name, level.name, {'class': 'cpa-level-name', type: 'text'}));
        row.appendChild(control('textarea', labels.description, level.description, {'class': 'cpa-level-description', rows: '2'}));
        row.appendChild(control('input', labels.points, level.points, {'class': 'cpa-level-points', type: 'number', min: '0', step: '1'}));
        var required = document.createElement('div');
        required.className = 'cpa-check';
        var radio = document.createElement('input');
        radio.type = 'radio';
        radio.className = 'cpa-level-required';
        radio.name = criterionBox.dataset.radioName;
        radio.id = newId('cpa-f');
        var radioLabel = document.createElement('label');
        radioLabel.setAttribute('for', radio.id);
        radioLabel.textContent = labels.required;
        required.appendChild(radio);
        required.appendChild(radioLabel);
        row.appendChild(required);
        row.appendChild(button('', 'cpa-remove-level'));
        return row;
    }

    function renumber(editor) {
        editor.querySelectorAll('.cpa-criterion-editor').forEach(function (box, index) {
            box.querySelector(':scope > legend').textContent = label(labels.criterion, index + 1);
            box.querySelector(':scope > .cpa-remove-criterion').textContent = label(labels.remove_criterion, index + 1);
            box.querySelectorAll('.cpa-level-editor').forEach(function (row, levelIndex) {
                row.querySelector('legend').textContent = label(labels.level, levelIndex + 1);
                row.querySelector('.cpa-remove-level').textContent = label(labels.remove_level, levelIndex + 1);
            });
        });
    }

    function criterionBox(editor, criterion) {
        var box = document.createElement('fieldset');
        box.className = 'cpa-criterion-editor';
        box.dataset.criterionId = criterion.id || newId('criterion');
        box.dataset.radioName = newId('required');
        box.appendChild(document.createElement('legend'));
        box.appendChild(control('input', labels.name, criterion.name, {'class': 'cpa-criterion-name', type: 'text'}));
        box.appendChild(control('textarea', labels.description, criterion.description, {'class': 'cpa-criterion-description', rows: '2'}));
        var competency = criterion.competency || {};
        var group = document.createElement('fieldset');
        group.className = 'cpa-competency-editor';
        var groupLegend = document.createElement('legend');
        groupLegend.textContent = labels.competency;
        group.appendChild(groupLegend);
        group.appendChild(control('input', labels.competency_name, competency.name, {'class': 'cpa-competency-name', type: 'text'}));
        group.appendChild(control('input', labels.framework, competency.framework, {'class': 'cpa-competency-framework', type: 'text'}));
        group.appendChild(control('input', labels.code, competency.code, {'class': 'cpa-competency-code', type: 'text'}));
        group.appendChild(control('input', labels.url, competency.url, {'class': 'cpa-competency-url', type: 'url'}));
        box.appendChild(group);
        var levels = document.createElement('div');
        levels.className = 'cpa-levels-editor';
        var levelsCaption = document.createElement('p');
        levelsCaption.className = 'cpa-hint';
        levelsCaption.textContent = labels.levels;
        box.appendChild(levelsCaption);
        box.appendChild(levels);
        (criterion.levels || [{}, {}]).forEach(function (level) {
            var row = levelRow(box, level);
            levels.appendChild(row);
            if (level.id && level.id === criterion.required_level) {
                row.querySelector('.cpa-level-required').checked = true;
            }
        });
        box.appendChild(button(labels.add_level, 'cpa-add-level'));
        box.appendChild(button('', 'cpa-remove-criterion'));
        return box;
    }

    function fillRubric(editor, rubric) {
        var list = editor.querySelector('.cpa-criteria');
        list.textContent = '';
        ((rubric && rubric.criteria) || []).forEach(function (criterion) {
            list.appendChild(criterionBox(editor, criterion));
        });
        renumber(editor);
    }

    function readRubric(editor) {
        var criteria = [];
        editor.querySelectorAll('.cpa-criterion-editor').forEach(function (box) {
            var levels = [];
            var required = null;
            box.querySelectorAll('.cpa-level-editor').forEach(function (row) {
                var points = row.querySelector('.cpa-level-points').value.trim();
                levels.push({
                    id: row.dataset.levelId,
                    name: row.querySelector('.cpa-level-name').value,
                    description: row.querySelector('.cpa-level-description').value,
                    points: points === '' ? null : Number(points)
                });
                if (row.querySelector('.cpa-level-required').checked) { required = row.dataset.levelId; }
            });
            criteria.push({
                id: box.dataset.criterionId,
                name: box.querySelector('.cpa-criterion-name').value,
                description: box.querySelector('.cpa-criterion-description').value,
                competency: {
                    name: box.querySelector('.cpa-competency-name').value,
                    framework: box.querySelector('.cpa-competency-framework').value,
                    code: box.querySelector('.cpa-competency-code').value,
                    url: box.querySelector('.cpa-competency-url').value
                },
                levels: levels,
                required_level: required
            });
        });
        return criteria.length ? {criteria: criteria} : {};
    }

    form.addEventListener('click', function (event) {
        var target = event.target.closest('button');
        if (!target) { return; }
        var editor = target.closest('.cpa-rubric-editor');
        if (!editor) { return; }
        var focus = null;
        if (target.matches('.cpa-add-criterion')) {
            var box = criterionBox(editor, {});
            editor.querySelector('.cpa-criteria').appendChild(box);
            focus = box.querySelector('.cpa-criterion-name');
        } else if (target.matches('.cpa-add-level')) {
            var owner = target.closest('.cpa-criterion-editor');
            var row = levelRow(owner, {});
            owner.querySelector('.cpa-levels-editor').appendChild(row);
            focus = row.querySelector('.cpa-level-name');
        } else if (target.matches('.cpa-remove-level')) {
            var levelOwner = target.closest('.cpa-criterion-editor');
            target.closest('.cpa-level-editor').remove();
            focus = levelOwner.querySelector('.cpa-add-level');
        } else if (target.matches('.cpa-remove-criterion')) {
            target.closest('.cpa-criterion-editor').remove();
            focus = editor.querySelector('.cpa-add-criterion');
        } else {
            return;
        }
        renumber(editor);
        if (focus) { focus.focus(); }
    });

    function fill() {
        form.querySelectorAll('[data-field]').forEach(function (input) {
            var value = read(input.dataset.field);
            var type = input.dataset.type;
            if (type === 'rubric') { fillRubric(input, value); return; }
            if (type === 'bool') { input.checked = !!value; return; }
            if (type === 'json') { input.value = value && Object.keys(value).length ? JSON.stringify(value, null, 2) : ''; return; }
            if (type === 'lines') { input.value = (value || []).join('\n'); return; }
            if (type === 'csv') { input.value = (value || []).join(', '); return; }
            input.value = value === null || value === undefined ? '' : value;
        });
    }

    function collect() {
        var collected = JSON.parse(JSON.stringify(values));
        var problem = null;
        form.querySelectorAll('[data-field]').forEach(function (input) {
            var type = input.dataset.type;
            var value = input.value;
            if (type === 'rubric') { value = readRubric(input); }
            else if (type === 'bool') { value = input.checked; }
            else if (type === 'int' || type === 'number') { value = value.trim() === '' ? null : Number(value); }
            else if (type === 'lines') { value = value.split('\n').map(function (line) { return line.trim(); }).filter(Boolean); }
            else if (type === 'csv') { value = value.split(',').map(function (item) { return item.trim(); }).filter(Boolean); }
            else if (type === 'json') {
                if (!value.trim()) { value = input.dataset.field === 'scenarios' ? [] : {}; }
                else {
                    try { value = JSON.parse(value); }
                    catch (error) { problem = problem || {input: input, message: error.message}; }
                }
            }
            write(collected, input.dataset.field, value);
        });
        return {values: collected, problem: problem};
    }

    function showError(message, input) {
        errors.textContent = message;
        (input || errors).focus();
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
        errors.textContent = '';
        var collected = collect();
        if (collected.problem) {
            var label = form.querySelector('label[for="' + collected.problem.input.id + '"]');
            showError((label ? label.textContent + ': ' : '') + collected.problem.message, collected.problem.input);
            return;
        }
        if (runtime.notify) { runtime.notify('save', {state: 'start'}); }
        post(root.dataset.submitUrl, {values: collected.values}).then(function (answer) {
            if (!answer.ok) {
                showError(answer.data.error);
                if (runtime.notify) { runtime.notify('error', {title: 'Error', message: answer.data.error}); }
                return;
            }
            values = collected.values;
            live.textContent = answer.data.message;
            if (runtime.notify) { runtime.notify('save', {state: 'end'}); }
        });
    });

    root.querySelector('.cpa-load-template').addEventListener('click', function () {
        post(root.dataset.templateUrl, {name: 'ethics_hiring_bias'}).then(function (answer) {
            if (!answer.ok) { showError(answer.data.error); return; }
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
