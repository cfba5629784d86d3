// django-prose-editor's link, with "language of the linked page". The choice is
// stored as hreflang and lang on the link; the public page adds "(French only)"
// or "(en anglais seulement)" after it (relations/richtext.py).
import { Link, updateAttrsDialog } from "django-prose-editor/editor"

export const LanguageLink = Link.extend({
  addOptions() {
    return {
      ...this.parent?.(),
      // [[code, label], ...], the first meaning "same language as the page";
      // labels come from Django, in the editor's language.
      languages: [["", "Same language as this page"]],
      labels: {},
    }
  },

  onBeforeCreate() {
    this.parent?.()
    // Tiptap adds a <style> element when the editor mounts; the page's
    // Content-Security-Policy admits it with the nonce the page's scripts carry.
    this.editor.options.injectNonce = document.querySelector("script[nonce]")?.nonce
  },

  addAttributes() {
    return {
      ...this.parent?.(),
      hreflang: { default: null },
      lang: { default: null },
    }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor }) => {
          if (editor.state.selection.empty && !editor.isActive(this.name)) {
            return false
          }
          const labels = this.options.labels
          const choices = this.options.languages
          const attrs = editor.getAttributes(this.name)
          const current =
            choices.find(([code]) => code === (attrs.hreflang || "")) || choices[0]
          // The dialog's list starts on its first option: put the link's own first.
          const options = [current, ...choices.filter((choice) => choice !== current)]
          const dialog = updateAttrsDialog(
            {
              href: { type: "string", title: labels.url || "URL", required: true },
              language: {
                type: "string",
                title: labels.language || "Language of the linked page",
                enum: options.map(([, label]) => label),
              },
            },
            { title: labels.title || "Link", submitText: labels.submit },
          )
          dialog(editor, { href: attrs.href || "", language: current[1] }).then(
            (values) => {
              if (!values) return
              const chosen = choices.find(([, label]) => label === values.language)
              const code = chosen?.[0] || null
              const link = { href: values.href, hreflang: code, lang: code }
              const chain = editor.chain().focus()
              if (editor.isActive(this.name)) {
                chain.extendMarkRange(this.name).updateAttributes(this.name, link).run()
              } else {
                chain.setMark(this.name, link).run()
              }
            },
          )
          return true
        },
    }
  },
})
