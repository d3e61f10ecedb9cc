;;; emacs_e2e.el --- End-to-end test of editors/emacs in Emacs with eglot  -*- lexical-binding: t; -*-

;; emacs --batch -q -l editors/tests/emacs_e2e.el EDITORS_DIR PLAN_PATH SERVER
;; Loads editors/emacs/execplan-ls.el as a user would, visits the plan, and
;; exits non-zero with a message on the first failure.

;;; Code:

(require 'cl-lib)
(require 'eglot)

(defvar e2e-editors (nth 0 command-line-args-left))
(defvar e2e-plan (nth 1 command-line-args-left))
(defvar e2e-server (nth 2 command-line-args-left))
(setq command-line-args-left nil)
(defconst e2e-timeout 20)

(defun e2e-say (format-string &rest args)
  (princ (concat (apply #'format format-string args) "\n")))

(defun e2e-fail (format-string &rest args)
  (message "emacs e2e: FAIL: %s" (apply #'format format-string args))
  (kill-emacs 1))

(defun e2e-check (ok format-string &rest args)
  (unless ok (apply #'e2e-fail format-string args))
  (e2e-say "ok - %s" (apply #'format format-string args)))

(defun e2e-wait (predicate)
  "Pumps process output until PREDICATE holds or the timeout; its value."
  (let ((deadline (+ (float-time) e2e-timeout)) value)
    (while (and (not (setq value (funcall predicate))) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    value))

;; markdown-mode is not installed here: a stand-in with its name, so the
;; setup file's registration (markdown-mode, language id "markdown") is the
;; one under test.
(unless (fboundp 'markdown-mode)
  (define-derived-mode markdown-mode text-mode "Markdown"))
(add-to-list 'auto-mode-alist '("\\.md\\'" . markdown-mode))

(add-to-list 'load-path (expand-file-name "emacs" e2e-editors))
(require 'execplan-ls)
(setq execplan-ls-program e2e-server)
(setq eglot-sync-connect t)

(find-file e2e-plan)
(e2e-check (eq major-mode 'markdown-mode) "the plan opens in markdown-mode")
;; What `eglot-ensure' does after the next command, which batch mode never runs.
(apply #'eglot (eglot--guess-contact))
(e2e-check (e2e-wait (lambda () (eglot-current-server)))
           "eglot starts execplan-ls for the plan through eglot-server-programs")
(let ((server (eglot-current-server)))
  (e2e-check (equal (eglot--language-id server) "markdown") "with the language id markdown"))

;; 1. The known defect arrives in flymake.
(let ((found (e2e-wait
              (lambda ()
                (flymake-start)
                (cl-find-if (lambda (d) (string-match-p "EP101.*Decision Log\\|Decision Log.*EP101"
                                                        (flymake-diagnostic-text d)))
                            (flymake-diagnostics))))))
  (e2e-check found "EP101 (missing Decision Log) is shown in flymake")
  (e2e-check (and (memq (flymake-diagnostic-type found) (quote (eglot-error :error)))
                  (= (line-number-at-pos (flymake-diagnostic-beg found)) 1))
             "on line 1, as an error: %S" (flymake-diagnostic-text found)))

;; 2. Completion after "## " offers the missing section, and inserting it
;; through eglot's exit function writes the section.
(goto-char (point-max))
(insert "\n## ")
(let* ((capf (eglot-completion-at-point))
       (table (nth 2 capf))
       (props (nthcdr 3 capf))
       (prefix (buffer-substring-no-properties (nth 0 capf) (nth 1 capf)))
       (candidates (all-completions prefix table))
       (choice (cl-find "## Decision Log" candidates :test #'string=)))
  (e2e-check choice "completion-at-point offers '## Decision Log' (got: %S)" candidates)
  (e2e-check (not (cl-find "## Progress" candidates :test #'string=))
             "and not a section the plan has")
  (delete-region (nth 0 capf) (nth 1 capf))
  (goto-char (nth 0 capf))
  (insert choice)
  (funcall (plist-get props :exit-function) choice 'finished)
  (e2e-check (save-excursion (goto-char (point-min))
                             (re-search-forward "^## Decision Log$" nil t))
             "choosing it writes the section heading"))
(e2e-wait (lambda () nil))

;; 3. "Mark done" through eglot's code action menu, the menu answered by
;; binding `completing-read' as a user picking the entry would.
(goto-char (point-min))
(e2e-check (re-search-forward "^- \\[ \\] Measure the hit rate\\.$" nil t)
           "the unchecked item is in the plan")
(beginning-of-line)
(forward-char 8)
(let ((offered nil)
      (last-nonmenu-event 13))              ; a key, not a mouse click: no popup
  (cl-letf (((symbol-function 'completing-read)
             (lambda (_prompt collection &rest _)
               (setq offered (mapcar (lambda (c) (if (consp c) (car c) c)) collection))
               (or (cl-find-if (lambda (title) (string-prefix-p "Mark done" title)) offered)
                   (e2e-fail "no Mark done in the menu: %S" offered)))))
    (eglot-code-actions (point) (point) nil t))
  (e2e-say "menu: %S" offered))
(let ((line (e2e-wait
             (lambda ()
               (let ((text (buffer-substring-no-properties (line-beginning-position)
                                                           (line-end-position))))
                 (and (string-prefix-p "- [x]" text) text))))))
  (e2e-check (and line (string-match-p
                        "^- \\[x\\] ([0-9]\\{4\\}-[0-9]\\{2\\}-[0-9]\\{2\\} [0-9]\\{2\\}:[0-9]\\{2\\}Z) Measure the hit rate\\.$"
                        line))
             "Mark done checks the item and stamps it: %S" line))

;; 4. A clean exit: shutdown, exit, and the server's own exit status.
;; `eglot-shutdown' would kill the process right after `exit', hiding the
;; status; so send both here, telling eglot that the shutdown was asked for
;; (as `eglot-shutdown' does) so that it does not restart the server.
(let* ((server (eglot-current-server))
       (process (jsonrpc--process server)))
  (setf (eglot--shutdown-requested server) t)
  (jsonrpc-request server :shutdown nil)
  (jsonrpc-notify server :exit nil)
  (e2e-check (e2e-wait (lambda () (not (process-live-p process))))
             "the server exits after shutdown and exit")
  (e2e-check (eq (process-exit-status process) 0)
             "with status 0 (got %S)" (process-exit-status process)))
(set-buffer-modified-p nil)
(kill-emacs 0)
;;; emacs_e2e.el ends here
