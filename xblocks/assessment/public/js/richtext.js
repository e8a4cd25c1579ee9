/* Rich text for the author's prompts and case narrative: Studio's TinyMCE when the runtime
 * provides it, otherwise a small editor of our own (a labelled contenteditable under a
 * toolbar that follows the WAI-ARIA toolbar pattern: one Tab stop, arrow keys between buttons,
 * aria-pressed on the formats in effect). Either way the <textarea data-type="rich"> keeps the
 * HTML the form sends; the server cleans it with its allow-list (sanitize.py) on save.
 * CredpluginRichText(labels) returns {enhance, get, set, target}.
 */
function CredpluginRichText(labels) {
    'use strict';
    var tinymce = window.tinymce;
    var editors = {};
    // [label key, command, value, format it shows as pressed, shortcut]
    var BUTTONS = [
        ['bold', 'bold', null, 'bold', 'Control+B'],
        ['italic', 'italic', null, 'italic', 'Control+I'],
        ['heading', 'formatBlock', 'h3', 'h3', null],
        ['subheading', 'formatBlock', 'h4', 'h4', null],
        ['paragraph', 'formatBlock', 'p', 'p', null],
        ['bullets', 'insertUnorderedList', null, 'insertUnorderedList', null],
        ['numbers', 'insertOrderedList', null, 'insertOrderedList', null],
        ['link', 'link', null, null, null],
        ['unlink', 'unlink', null, null, null]
    ];

    function pressed(format) {
        if (/^(h3|h4|p)$/.test(format)) {
            return String(document.queryCommandValue('formatBlock')).toLowerCase() === format;
        }
        return document.queryCommandState(format);
    }

    function button(toolbar, spec) {
        var element = document.createElement('button');
        element.type = 'button';
        element.className = 'cpa-rich-button cpa-rich-' + spec[0];
        element.textContent = labels['rich_' + spec[0]];
        element.tabIndex = toolbar.children.length ? -1 : 0;
        if (spec[3]) { element.setAttribute('aria-pressed', 'false'); element.dataset.format = spec[3]; }
        if (spec[4]) { element.setAttribute('aria-keyshortcuts', spec[4]); }
        element.dataset.command = spec[1];
        if (spec[2]) { element.dataset.value = spec[2]; }
        toolbar.appendChild(element);
    }

    // Arrow keys move between the toolbar's buttons; Tab leaves it (one stop, the last used).
    function rove(toolbar, event) {
        var buttons = Array.prototype.slice.call(toolbar.querySelectorAll('button'));
        var index = buttons.indexOf(document.activeElement);
        var next = {ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: buttons.length - 1}[event.key];
        if (next === undefined || index < 0) { return; }
        event.preventDefault();
        next = (next + buttons.length) % buttons.length;
        buttons.forEach(function (item, position) { item.tabIndex = position === next ? 0 : -1; });
        buttons[next].focus();
    }

    function ownEditor(textarea) {
        var label = document.querySelector('label[for="' + textarea.id + '"]');
        var box = document.createElement('div');
        box.className = 'cpa-rich';
        var toolbar = document.createElement('div');
        toolbar.className = 'cpa-rich-toolbar';
        toolbar.setAttribute('role', 'toolbar');
        toolbar.setAttribute('aria-label', labels.rich_toolbar.replace('{field}', label ? label.textContent : ''));
        toolbar.setAttribute('aria-controls', textarea.id + '-editor');
        BUTTONS.forEach(function (spec) { button(toolbar, spec); });
        var linkRow = document.createElement('div');
        linkRow.className = 'cpa-rich-link-row';
        linkRow.hidden = true;
        var linkLabel = document.createElement('label');
        linkLabel.setAttribute('for', textarea.id + '-link');
        linkLabel.textContent = labels.rich_link_url;
        var linkInput = document.createElement('input');
        linkInput.type = 'url';
        linkInput.id = textarea.id + '-link';
        linkInput.placeholder = 'https://';
        var apply = document.createElement('button');
        apply.type = 'button';
        apply.className = 'cpa-button';
        apply.textContent = labels.rich_link_apply;
        linkRow.appendChild(linkLabel);
        linkRow.appendChild(linkInput);
        linkRow.appendChild(apply);
        var editable = document.createElement('div');
        editable.id = textarea.id + '-editor';
        editable.className = 'cpa-rich-area';
        editable.contentEditable = 'true';
        editable.setAttribute('role', 'textbox');
        editable.setAttribute('aria-multiline', 'true');
        if (label) {
            if (!label.id) { label.id = textarea.id + '-label'; }
            editable.setAttribute('aria-labelledby', label.id);
            // A click on the label goes where the typing goes.
            label.addEventListener('click', function (event) { event.preventDefault(); editable.focus(); });
        }
        box.appendChild(toolbar);
        box.appendChild(linkRow);
        box.appendChild(editable);
        textarea.insertAdjacentElement('beforebegin', box);
        textarea.hidden = true;
        var saved = null;

        function sync() {
            textarea.value = editable.innerHTML;
            toolbar.querySelectorAll('[data-format]').forEach(function (item) {
                item.setAttribute('aria-pressed', String(pressed(item.dataset.format)));
            });
        }
        function selectionInside() {
            var selection = window.getSelection();
            return selection.rangeCount && editable.contains(selection.anchorNode) ? selection.getRangeAt(0) : null;
        }
        function restore() {
            editable.focus();
            if (saved) { var selection = window.getSelection(); selection.removeAllRanges(); selection.addRange(saved); }
        }
        toolbar.addEventListener('keydown', function (event) { rove(toolbar, event); });
        // Keep the selection in the text while a button is pressed with the mouse.
        toolbar.addEventListener('mousedown', function (event) { event.preventDefault(); });
        toolbar.addEventListener('focusin', function () { saved = selectionInside() || saved; });
        toolbar.addEventListener('click', function (event) {
            var target = event.target.closest('button');
            if (!target) { return; }
            if (target.dataset.command === 'link') {
                saved = selectionInside() || saved;
                linkRow.hidden = false;
                linkInput.value = '';
                linkInput.focus();
                return;
            }
            restore();
            document.execCommand('styleWithCSS', false, false);
            document.execCommand(target.dataset.command, false, target.dataset.value || null);
            sync();
            target.focus();
        });
        function applyLink() {
            var url = linkInput.value.trim();
            linkRow.hidden = true;
            restore();
            if (url) { document.execCommand('createLink', false, url); sync(); }
        }
        apply.addEventListener('click', applyLink);
        linkInput.addEventListener('keydown', function (event) {
            if (event.key === 'Enter') { event.preventDefault(); applyLink(); }
            if (event.key === 'Escape') { event.preventDefault(); linkRow.hidden = true; restore(); }
        });
        editable.addEventListener('input', sync);
        ['keyup', 'mouseup', 'focus'].forEach(function (name) { editable.addEventListener(name, sync); });
        return {
            get: function () { return editable.innerHTML; },
            set: function (html) { editable.innerHTML = html; textarea.value = html; },
            target: editable
        };
    }

    function tinyEditor(textarea) {
        var handle = {
            editor: null,
            get: function () { return handle.editor ? handle.editor.getContent() : textarea.value; },
            set: function (html) { textarea.value = html; if (handle.editor) { handle.editor.setContent(html); } },
            target: textarea
        };
        if (window.baseUrl) { tinymce.baseURL = window.baseUrl + '/js/vendor/tinymce/js/tinymce'; }
        tinymce.init({
            target: textarea, menubar: false, statusbar: false, plugins: 'lists link',
            toolbar: 'formatselect | bold italic | bullist numlist | link unlink',
            block_formats: labels.rich_paragraph + '=p;' + labels.rich_heading + '=h3;' + labels.rich_subheading + '=h4',
            convert_urls: false, height: 240,
            setup: function (editor) {
                handle.editor = editor;
                editor.on('init', function () { handle.target = editor.getContainer(); });
                editor.on('change input', function () { textarea.value = editor.getContent(); });
            }
        });
        return handle;
    }

    function enhance(textarea) {
        editors[textarea.id] = tinymce ? tinyEditor(textarea) : ownEditor(textarea);
    }

    return {
        enhance: enhance,
        get: function (textarea) { return editors[textarea.id] ? editors[textarea.id].get() : textarea.value; },
        set: function (textarea, html) {
            if (editors[textarea.id]) { editors[textarea.id].set(html || ''); } else { textarea.value = html || ''; }
        },
        // What a problem with this field links to and focuses.
        target: function (textarea) { return editors[textarea.id] ? editors[textarea.id].target : textarea; }
    };
}
