;;; execplan-ls.el --- ExecPlan checks in Markdown buffers, through eglot  -*- lexical-binding: t; -*-

;; Version: 0.1
;; Package-Requires: ((emacs "27.1") (eglot "1.9"))
;; Keywords: languages, tools

;;; Commentary:

;; Registers the execplan-ls language server with eglot for Markdown
;; buffers (markdown-mode and gfm-mode, with the language id "markdown").
;; The server itself decides which Markdown files are ExecPlans and stays
;; silent on the others.
;;
;;   (add-to-list 'load-path "/path/to/execplan-ls/editors/emacs")
;;   (require 'execplan-ls)
;;   (add-hook 'markdown-mode-hook #'eglot-ensure)
;;
;; Diagnostics show in flymake, completion goes through
;; `completion-at-point', and "Mark done", the quick fixes and "fix all"
;; are code actions (`M-x eglot-code-actions' on a Progress item).
;; See docs/editors.md.

;;; Code:

(require 'eglot)

(defgroup execplan-ls nil
  "ExecPlan checks through the execplan-ls language server."
  :group 'eglot
  :prefix "execplan-ls-")

(defcustom execplan-ls-program "execplan-ls"
  "The execplan-ls binary: a name found on `exec-path', or a path."
  :type 'string)

(defcustom execplan-ls-modes '(markdown-mode gfm-mode)
  "The major modes of the Markdown buffers execplan-ls serves."
  :type '(repeat symbol))

(defun execplan-ls--contact (&optional _interactive)
  "How eglot starts the server: `execplan-ls-program' on stdio."
  (list execplan-ls-program))

(add-to-list 'eglot-server-programs
             (cons (mapcar (lambda (mode) (list mode :language-id "markdown"))
                           execplan-ls-modes)
                   #'execplan-ls--contact))

(provide 'execplan-ls)
;;; execplan-ls.el ends here
