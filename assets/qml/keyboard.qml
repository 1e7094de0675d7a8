// The kiosk's on-screen keyboard: Qt Virtual Keyboard's InputPanel, hosted by a QQuickWidget
// inside the main window (kiosk/screens/keyboard.py). Python sets the properties below; the
// functions at the end are what Python and the tests call.
//
// Sizes: Qt scales the keyboard from its width with the style's design aspect ratio
// (2560 x 800). keyHeightFactor makes the rows taller than that ratio (large keys), and
// maxKeyboardHeight caps the height on wide, short (landscape) windows: the keyboard then
// narrows and centres. The word-candidate strip is always reserved, so the panel does not
// change height while the resident types.

import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings
import QtQuick.VirtualKeyboard.Styles

Rectangle {
    id: root

    property real keyHeightFactor: 1.15
    // Scales the style's fonts, icons and margins (its scaleHint) without changing key sizes.
    property real glyphScale: 1.3
    property real maxKeyboardHeight: 0
    property int candidateHeight: 88
    property int candidateFontSize: 34
    property string candidateFontFamily: "Noto Sans CJK SC"

    readonly property bool active: inputPanel.active
    readonly property var style: inputPanel.keyboard.style
    readonly property real designWidth: 2560 / glyphScale
    readonly property real designHeight: 800 * keyHeightFactor / glyphScale
    readonly property real keyboardHeight: inputPanel.keyboard.height
    // Everything the widget must show: the keyboard plus the candidate strip above it.
    readonly property int preferredHeight: Math.ceil(keyboardHeight + candidateHeight)

    color: style ? style.keyboardBackgroundColor : "#263238"

    InputPanel {
        id: inputPanel
        objectName: "inputPanel"
        width: root.maxKeyboardHeight > 0
               ? Math.min(root.width, Math.floor(root.maxKeyboardHeight * root.designWidth / root.designHeight))
               : root.width
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
    }

    Binding {
        target: root.style
        when: root.style !== null && root.style !== undefined
        property: "keyboardDesignWidth"
        value: root.designWidth
    }
    Binding {
        target: root.style
        when: root.style !== null && root.style !== undefined
        property: "keyboardDesignHeight"
        value: root.designHeight
    }
    Binding {
        target: root.style
        when: root.style !== null && root.style !== undefined
        property: "selectionListHeight"
        value: root.candidateHeight
    }
    Binding {
        target: root.style
        when: root.style !== null && root.style !== undefined
        property: "selectionListDelegate"
        value: candidateDelegate
    }

    // No slide-in animation: while it runs, the list ignores a candidate's width change, so
    // a wider first word overlapped the next one. Candidates also appear at once to tap.
    Binding {
        target: inputPanel.keyboard
        property: "noAnimations"
        value: true
    }

    // Large candidates: at least a touch target wide and tall, in the theme's CJK font.
    Component {
        id: candidateDelegate
        SelectionListItem {
            id: item
            // TextMetrics, not the Text's own width: the list places the items as they are
            // created, before a Text has laid itself out, and does not re-place them later.
            TextMetrics {
                id: metrics
                font: candidateLabel.font
                text: display
            }
            readonly property real padding: Math.max(24, (root.candidateHeight - metrics.advanceWidth) / 2)
            width: Math.ceil(metrics.advanceWidth + 2 * padding)
            Rectangle {
                anchors.fill: parent
                anchors.margins: 4
                radius: 6
                color: item.ListView.isCurrentItem ? "#4f5b62" : "transparent"
            }
            Text {
                id: candidateLabel
                anchors.left: parent.left
                anchors.leftMargin: item.padding
                anchors.verticalCenter: parent.verticalCenter
                text: display
                color: "#ffffff"
                font.family: root.candidateFontFamily
                font.pixelSize: root.candidateFontSize
            }
            Rectangle {
                width: 2
                height: parent.height * 0.5
                anchors.right: parent.right
                anchors.verticalCenter: parent.verticalCenter
                color: "#4f5b62"
            }
        }
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = "zh_CN"
        VirtualKeyboardSettings.wordCandidateList.alwaysVisible = true
        // The kiosk keeps the keyboard while a field has focus: no "hide keyboard" key.
        VirtualKeyboardSettings.visibleFunctionKeys = QtVirtualKeyboard.KeyboardFunctionKeys.Language
    }

    // ---- called from Python ----

    function setMode(mode) {
        if (mode === "digits") {
            VirtualKeyboardSettings.inputMethodHints = Qt.ImhDigitsOnly
        } else if (mode === "en") {
            VirtualKeyboardSettings.locale = "en_US"
            VirtualKeyboardSettings.inputMethodHints = Qt.ImhPreferLatin | Qt.ImhNoAutoUppercase
                                                       | Qt.ImhNoPredictiveText
        } else {
            VirtualKeyboardSettings.locale = "zh_CN"
            VirtualKeyboardSettings.inputMethodHints = Qt.ImhNone
        }
        return state()
    }

    function state() {
        const engine = InputContext.inputEngine
        return {
            active: inputPanel.active,
            locale: InputContext.locale,
            inputMode: engine.inputMode,
            layout: String(inputPanel.keyboard.layout),
            layoutType: inputPanel.keyboard.layoutType,
            preedit: InputContext.preeditText,
            keyboardHeight: root.keyboardHeight,
            keyboardWidth: inputPanel.width,
            panelHeight: inputPanel.height,
        }
    }

    function collectKeys(item, out) {
        for (let i = 0; i < item.children.length; ++i) {
            const c = item.children[i]
            if (!c.visible)
                continue
            if (c.keyType !== undefined && c.key !== undefined && c.text !== undefined) {
                const p = c.mapToItem(root, 0, 0)
                const m = root.style ? root.style.keyBackgroundMargin : 0
                out.push({text: c.text, displayText: c.displayText, key: c.key, keyType: c.keyType,
                          enabled: c.enabled, x: p.x, y: p.y, width: c.width, height: c.height,
                          margin: m})
            }
            collectKeys(c, out)
        }
        return out
    }

    // Every key on screen, in root coordinates (= the QQuickWidget's).
    function keys() {
        return collectKeys(inputPanel.keyboard, [])
    }

    function candidates() {
        const model = InputContext.inputEngine.wordCandidateListModel
        const out = []
        for (let i = 0; i < model.count; ++i)
            out.push(String(model.dataAt(i, SelectionListModel.Role.Display)))
        return out
    }

    // Scrolls candidate i into view and returns its rectangle (root coordinates), or null.
    function candidateRect(i) {
        const view = inputPanel.keyboard.wordCandidateView
        view.positionViewAtIndex(i, ListView.Contain)
        view.forceLayout()
        const it = view.itemAtIndex(i)
        if (!it)
            return null
        const p = it.mapToItem(root, 0, 0)
        const v = view.mapToItem(root, 0, 0)
        return {x: p.x, y: p.y, width: it.width, height: it.height, opacity: it.opacity,
                viewX: v.x, viewY: v.y, viewWidth: view.width, viewHeight: view.height}
    }
}
