/* Structured editors for the author's rubrics and scenario judgments.
 *
 * Every control is built with a real <label for>, values are set as properties (never as
 * markup), and adding or removing an item moves focus to where the author continues.
 * CredpluginAssessmentEditors(labels) returns fill/read functions and one click handler.
 */
function CredpluginAssessmentEditors(labels) {
    'use strict';
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
        row.appendChild(control('input', labels.name, level.name, {'class': 'cpa-level-name', type: 'text', 'data-key': 'name'}));
        row.appendChild(control('textarea', labels.description, level.description, {'class': 'cpa-level-description', rows: '2', 'data-key': 'description'}));
        row.appendChild(control('input', labels.points, level.points, {'class': 'cpa-level-points', type: 'number', min: '0', step: '1', 'data-key': 'points'}));
        row.appendChild(checkbox(labels.required, 'cpa-level-required', false, 'radio', criterionBox.dataset.radioName, 'required_level'));
        row.appendChild(button('', 'cpa-remove-level'));
        return row;
    }

    // Both editors nest numbered rows (levels, options) in numbered boxes (criteria, scenarios);
    // each legend and remove button says its number so screen-reader users know which one it is.
    var NUMBERING = {
        rubric: {box: 'criterion', row: 'level'},
        scenarios: {box: 'scenario', row: 'option'}
    };

    function renumber(editor, kind) {
        var names = NUMBERING[kind];
        editor.querySelectorAll('.cpa-' + names.box + '-editor').forEach(function (box, index) {
            box.querySelector(':scope > legend').textContent = label(labels[names.box], index + 1);
            box.querySelector(':scope > .cpa-remove-' + names.box).textContent = label(labels['remove_' + names.box], index + 1);
            box.querySelector(':scope > .cpa-move-up').textContent = label(labels['move_up_' + names.box], index + 1);
            box.querySelector(':scope > .cpa-move-down').textContent = label(labels['move_down_' + names.box], index + 1);
            box.querySelectorAll('.cpa-' + names.row + '-editor').forEach(function (row, rowIndex) {
                row.querySelector('legend').textContent = label(labels[names.row], rowIndex + 1);
                row.querySelector('.cpa-remove-' + names.row).textContent = label(labels['remove_' + names.row], rowIndex + 1);
            });
        });
    }

    function criterionBox(editor, criterion) {
        var box = document.createElement('fieldset');
        box.className = 'cpa-criterion-editor';
        box.dataset.criterionId = criterion.id || newId('criterion');
        box.dataset.radioName = newId('required');
        box.appendChild(document.createElement('legend'));
        box.appendChild(control('input', labels.name, criterion.name, {'class': 'cpa-criterion-name', type: 'text', 'data-key': 'name'}));
        box.appendChild(control('textarea', labels.description, criterion.description, {'class': 'cpa-criterion-description', rows: '2', 'data-key': 'description'}));
        var competency = criterion.competency || {};
        var group = document.createElement('fieldset');
        group.className = 'cpa-competency-editor';
        group.dataset.key = 'competency';
        var groupLegend = document.createElement('legend');
        groupLegend.textContent = labels.competency;
        group.appendChild(groupLegend);
        group.appendChild(control('input', labels.competency_name, competency.name, {'class': 'cpa-competency-name', type: 'text', 'data-key': 'name'}));
        group.appendChild(control('input', labels.framework, competency.framework, {'class': 'cpa-competency-framework', type: 'text', 'data-key': 'framework'}));
        group.appendChild(control('input', labels.code, competency.code, {'class': 'cpa-competency-code', type: 'text', 'data-key': 'code'}));
        group.appendChild(control('input', labels.url, competency.url, {'class': 'cpa-competency-url', type: 'url', 'data-key': 'url'}));
        box.appendChild(group);
        var levels = document.createElement('div');
        levels.className = 'cpa-levels-editor';
        levels.dataset.key = 'levels';
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
        box.appendChild(button('', 'cpa-move-up'));
        box.appendChild(button('', 'cpa-move-down'));
        box.appendChild(button('', 'cpa-remove-criterion'));
        return box;
    }

    function fillRubric(editor, rubric) {
        var list = editor.querySelector('.cpa-criteria');
        list.textContent = '';
        ((rubric && rubric.criteria) || []).forEach(function (criterion) {
            list.appendChild(criterionBox(editor, criterion));
        });
        renumber(editor, 'rubric');
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

    function checkbox(text, className, checked, type, name, key) {
        var wrapper = document.createElement('div');
        wrapper.className = 'cpa-check';
        var input = document.createElement('input');
        input.type = type || 'checkbox';
        input.className = className;
        input.dataset.key = key;
        input.id = newId('cpa-f');
        if (name) { input.name = name; }
        input.checked = !!checked;
        var caption = document.createElement('label');
        caption.setAttribute('for', input.id);
        caption.textContent = text;
        wrapper.appendChild(input);
        wrapper.appendChild(caption);
        return wrapper;
    }

    function optionRow(option) {
        var row = document.createElement('fieldset');
        row.className = 'cpa-option-editor';
        row.dataset.optionId = option.id || newId('option');
        row.appendChild(document.createElement('legend'));
        row.appendChild(control('textarea', labels.option_text, option.text, {'class': 'cpa-option-text', rows: '2', 'data-key': 'text'}));
        row.appendChild(control('textarea', labels.option_feedback, option.feedback, {'class': 'cpa-edit-option-feedback', rows: '2', 'data-key': 'feedback'}));
        row.appendChild(checkbox(labels.option_correct, 'cpa-option-correct', option.correct, 'checkbox', '', 'correct'));
        row.appendChild(button('', 'cpa-remove-option'));
        return row;
    }

    function scenarioBox(scenario) {
        var box = document.createElement('fieldset');
        box.className = 'cpa-scenario-editor';
        box.dataset.scenarioId = scenario.id || newId('scenario');
        box.appendChild(document.createElement('legend'));
        box.appendChild(control('textarea', labels.question, scenario.question, {'class': 'cpa-scenario-question', rows: '2', 'data-key': 'question'}));
        var kind = control('select', labels.kind, '', {'class': 'cpa-scenario-kind', 'data-key': 'kind'});
        [['single', labels.single], ['multiple', labels.multiple]].forEach(function (pair) {
            var choice = document.createElement('option');
            choice.value = pair[0];
            choice.textContent = pair[1];
            kind.querySelector('select').appendChild(choice);
        });
        kind.querySelector('select').value = scenario.kind || 'single';
        box.appendChild(kind);
        box.appendChild(control('input', labels.points, scenario.points === undefined ? 1 : scenario.points, {'class': 'cpa-scenario-points', type: 'number', min: '0', step: '1', 'data-key': 'points'}));
        box.appendChild(control('input', labels.attempts, scenario.max_attempts === undefined ? 1 : scenario.max_attempts, {'class': 'cpa-scenario-attempts', type: 'number', min: '1', max: '10', step: '1', 'data-key': 'max_attempts'}));
        var options = document.createElement('div');
        options.className = 'cpa-options-editor';
        options.dataset.key = 'options';
        (scenario.options || [{}, {}]).forEach(function (option) { options.appendChild(optionRow(option)); });
        box.appendChild(options);
        box.appendChild(button(labels.add_option, 'cpa-add-option'));
        box.appendChild(control('textarea', labels.explanation, scenario.explanation, {'class': 'cpa-scenario-explanation', rows: '3', 'data-key': 'explanation'}));
        box.appendChild(button('', 'cpa-move-up'));
        box.appendChild(button('', 'cpa-move-down'));
        box.appendChild(button('', 'cpa-remove-scenario'));
        return box;
    }

    function fillScenarios(editor, scenarios) {
        var list = editor.querySelector('.cpa-scenario-list');
        list.textContent = '';
        (scenarios || []).forEach(function (scenario) { list.appendChild(scenarioBox(scenario)); });
        renumber(editor, 'scenarios');
    }

    function whole(input) {
        var text = input.value.trim();
        return text === '' ? null : Number(text);
    }

    function readScenarios(editor) {
        var scenarios = [];
        editor.querySelectorAll('.cpa-scenario-editor').forEach(function (box) {
            var options = [];
            box.querySelectorAll('.cpa-option-editor').forEach(function (row) {
                options.push({
                    id: row.dataset.optionId,
                    text: row.querySelector('.cpa-option-text').value,
                    feedback: row.querySelector('.cpa-edit-option-feedback').value,
                    correct: row.querySelector('.cpa-option-correct').checked
                });
            });
            scenarios.push({
                id: box.dataset.scenarioId,
                question: box.querySelector('.cpa-scenario-question').value,
                kind: box.querySelector('.cpa-scenario-kind').value,
                points: whole(box.querySelector('.cpa-scenario-points')),
                max_attempts: whole(box.querySelector('.cpa-scenario-attempts')),
                options: options,
                explanation: box.querySelector('.cpa-scenario-explanation').value
            });
        });
        return scenarios;
    }

    function onClick(event) {
        var target = event.target.closest('button');
        if (!target) { return; }
        var editor = target.closest('.cpa-rubric-editor, .cpa-scenarios-editor');
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
        } else if (target.matches('.cpa-add-scenario')) {
            var scenario = scenarioBox({});
            editor.querySelector('.cpa-scenario-list').appendChild(scenario);
            focus = scenario.querySelector('.cpa-scenario-question');
        } else if (target.matches('.cpa-add-option')) {
            var optionOwner = target.closest('.cpa-scenario-editor');
            var option = optionRow({});
            optionOwner.querySelector('.cpa-options-editor').appendChild(option);
            focus = option.querySelector('.cpa-option-text');
        } else if (target.matches('.cpa-remove-option')) {
            var scenarioOwner = target.closest('.cpa-scenario-editor');
            target.closest('.cpa-option-editor').remove();
            focus = scenarioOwner.querySelector('.cpa-add-option');
        } else if (target.matches('.cpa-move-up, .cpa-move-down')) {
            // Move the criterion or scenario past its neighbour; focus stays on the button pressed.
            var moved = target.parentElement;
            var neighbour = target.matches('.cpa-move-up') ? moved.previousElementSibling : moved.nextElementSibling;
            if (!neighbour) { return; }
            if (target.matches('.cpa-move-up')) { moved.parentElement.insertBefore(moved, neighbour); }
            else { moved.parentElement.insertBefore(neighbour, moved); }
            focus = target;
        } else if (target.matches('.cpa-remove-scenario')) {
            target.closest('.cpa-scenario-editor').remove();
            focus = editor.querySelector('.cpa-add-scenario');
        } else {
            return;
        }
        renumber(editor, editor.matches('.cpa-rubric-editor') ? 'rubric' : 'scenarios');
        if (focus) { focus.focus(); }
    }

    // Each numbered part of a field path is the nth box of its kind inside the element so far.
    var BOXES = {criteria: '.cpa-criterion-editor', levels: '.cpa-level-editor', options: '.cpa-option-editor'};

    function ownParts(element, selector) {
        return Array.prototype.filter.call(element.querySelectorAll(selector), function (part) {
            return part.parentElement.closest('.cpa-criterion-editor, .cpa-level-editor, .cpa-scenario-editor, .cpa-option-editor, [data-type]') === element;
        });
    }

    // The control a server field path names (``rubric.criteria.1.levels.2.points``), or the
    // nearest box that holds it.
    function locate(form, path) {
        var parts = path.split('.');
        for (var length = parts.length; length > 0; length -= 1) {
            var found = form.querySelector('[data-field="' + parts.slice(0, length).join('.') + '"]');
            if (found) { return descend(found, parts.slice(length)); }
        }
        return null;
    }

    function descend(element, rest) {
        var list = null;
        for (var index = 0; index < rest.length; index += 1) {
            var part = rest[index];
            var next;
            if (/^[0-9]+$/.test(part)) {
                var selector = list ? BOXES[list] : (element.matches('.cpa-scenarios-editor') ? '.cpa-scenario-editor' : null);
                next = selector ? element.querySelectorAll(selector)[Number(part)] : null;
                list = null;
            } else if (BOXES[part] && /^[0-9]+$/.test(rest[index + 1] || '')) {
                list = part;
                continue;
            } else {
                next = ownParts(element, '[data-key="' + part + '"]')[0] || element.querySelector('[data-key="' + part + '"]');
            }
            if (!next) { return element; }
            element = next;
        }
        return element;
    }

    return {
        locate: locate,
        fillRubric: fillRubric,
        readRubric: readRubric,
        fillScenarios: fillScenarios,
        readScenarios: readScenarios,
        onClick: onClick
    };
}
