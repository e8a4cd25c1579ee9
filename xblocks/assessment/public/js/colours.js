/* The badge's colours: each a #rrggbb text field (empty: chosen for the author) with a colour
 * picker beside it, kept in step, and the WCAG contrast of the artwork shown as they change.
 * The server checks the same ratios on Save and Preview; this only tells the author early.
 * CredpluginColours(scope, labels, accentDefault) returns {refresh}.
 */
function CredpluginColours(scope, labels, accentDefault) {
    'use strict';
    var COLOUR = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i;
    var status = scope.querySelector('.cpa-contrast');

    function widen(value) {
        value = value.trim().toLowerCase();
        if (!COLOUR.test(value)) { return null; }
        return value.length === 4 ? '#' + value.slice(1).split('').map(function (d) { return d + d; }).join('') : value;
    }

    function luminance(colour) {
        var channels = [1, 3, 5].map(function (start) {
            var value = parseInt(colour.slice(start, start + 2), 16) / 255;
            return value <= 0.03928 ? value / 12.92 : Math.pow((value + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
    }

    function contrast(first, second) {
        var pair = [luminance(first), luminance(second)].sort(function (a, b) { return b - a; });
        return (pair[0] + 0.05) / (pair[1] + 0.05);
    }

    function field(key) { return scope.querySelector('[data-colour="' + key + '"] input[type="text"]'); }
    function picker(key) { return scope.querySelector('[data-colour="' + key + '"] input[type="color"]'); }

    // The ink the artwork uses (white or near-black, whichever reads better), as the server does.
    function refresh() {
        ['colour', 'accent_colour'].forEach(function (key) {
            var value = widen(field(key).value);
            if (value) { picker(key).value = value; }
        });
        var colour = widen(field('colour').value);
        var accent = widen(field('accent_colour').value) || accentDefault;
        if (!colour) { status.textContent = ''; return; }
        var text = Math.max(contrast('#ffffff', colour), contrast('#111111', colour));
        var ring = contrast(accent, colour);
        var message = labels.contrast.replace('{text}', text.toFixed(1)).replace('{ring}', ring.toFixed(1));
        status.textContent = text < 4.5 || ring < 3 ? message + ' ' + labels.contrast_low : message;
    }

    ['colour', 'accent_colour'].forEach(function (key) {
        field(key).addEventListener('input', refresh);
        picker(key).addEventListener('input', function () { field(key).value = picker(key).value; refresh(); });
    });
    return {refresh: refresh};
}
