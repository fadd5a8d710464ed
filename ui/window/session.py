"""Opening, switching and identity: which workbook this window works in, who works in it, its backups and
keys, the start dialog, the new-evaluation wizard and the kits from the lead."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QLockFile, Qt, QTimer
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog, QLineEdit, QMessageBox

from ui.database import Database
from ui.identity import HOME_TAB, Identity, remember, remembered
from ui.ops import run_op
from ui.settings import default_database
from ui.window.base import DB_FILTER, ENTRY, WindowBase
from workbench import WorkbenchError, Workbook
from workbench.demo import add_demo_period
from workbench.errors import ForeignSchema, NotAWorkbench
from workbench.events import Changes
from workbench.exchange.kit import SUFFIX as KIT_SUFFIX
from workbench.exchange.kits import KitApplied
from workbench.i18n import tr
from workbench.maintenance import good_backups, recover
from workbench.usecases.kits import import_kit


def create_if_missing(path: Path, *, demo: bool) -> None:
    """Make a new workbook at `path` (with the demo period when asked) unless the file exists."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with Workbook.create(path) as wb:
        if demo:
            add_demo_period(wb)


def take_lock(path: Path) -> QLockFile | None:
    """The lock that makes this window the database's one writer, or None when another window holds it."""
    lock = QLockFile(str(path) + ".lock")
    return lock if lock.tryLock(200) else None


class Session(WindowBase):
    """The window's open workbook and the person working in it."""

    # replaceable so that tests can answer without a modal dialog
    ask_passphrase: Callable[[Path], str | None]
    identify: Callable[..., Identity | None]

    def _evaluator(self) -> str:
        """Whose scores the entry screen shows first: the last evaluator of this app when this database knows
        them, else the person working here."""
        last = self.settings.text("setting/evaluator")
        if last and last in self.db.reader.registry.evaluators():
            return last
        return self.identity.name

    def _identified(self, db: Database, lock: QLockFile | None) -> tuple[Database, QLockFile | None]:
        """Who works in the database just opened: remembered, or its owner when that is this app's user, or
        asked (once); the database comes back read-only when the user chose only to look."""
        path, app_user = db.path, self.settings.text("setting/user")
        owner = db.reader.settings.get("owner")
        role = db.reader.settings.get("owner_role") or "evaluator"
        known = remembered(self.settings, path)
        if known is None and path.resolve() == default_database().resolve():
            known = Identity(app_user or tr("Pengguna contoh"))  # the example data is nobody's: not remembered
        elif known is None and db.read_only:
            known = Identity(app_user or owner, role)
        elif known is None and app_user and app_user == owner:
            known = Identity(owner, role)
            remember(self.settings, path, known)
        elif known is None and app_user and not owner:
            known = Identity(app_user)
            remember(self.settings, path, known)
        elif known is None:
            guess = Identity(app_user, "lead" if owner else "evaluator") if app_user else None
            known = self.identify(self, path.name, owner, db.reader.registry.evaluators(), guess)
            if known is None:  # only to look: no name is needed, nothing is written
                passphrase = db.passphrase
                db.close()
                if lock is not None:
                    lock.unlock()
                db, lock = Database(path, passphrase=passphrase, read_only=True), None
                self.chosen_read_only = True
                known = Identity(app_user or owner, role)
            else:
                remember(self.settings, path, known)
        self.identity = known
        db.actor = known.name
        return db, lock


    def _connect(self, db: Database) -> Database:
        db.failed.connect(lambda message: self.statusBar().showMessage(message, 10000))
        db.busy.connect(lambda message: self.statusBar().showMessage(message, 3000))
        db.changed.connect(self._on_db_changed)
        return db

    # --- building --------------------------------------------------------------------------

    def switch_database(self, path: Path) -> bool:
        """Open another workbook in this window; says why not when it cannot."""
        self.commit_entry()
        try:
            lock = take_lock(path)
        except WorkbenchError as exc:
            self._warn(tr("Tidak dapat membuka basis data"), str(exc))
            return False
        try:
            db = self._open(path, lock is None)
        except WorkbenchError as exc:
            if lock is not None:
                lock.unlock()
            if isinstance(exc, ForeignSchema):
                self.offer_backup(path, exc)
            else:
                self._warn(tr("Tidak dapat membuka basis data"), str(exc))
            return False
        self._save_state()
        self.chosen_read_only = False
        db, lock = self._identified(db, lock)
        self.db.close()
        if self.lock is not None:
            self.lock.unlock()
        self.db, self.lock = self._connect(db), lock
        self.settings.add_recent(path)
        self.settings.set("persist/last_folder", str(path.parent))
        self.score_history.clear()  # the scores of another workbook
        self._build(tab=HOME_TAB[self.identity.role])
        self._after_open()
        return True

    def _open(self, path: Path, read_only: bool) -> Database:
        """A plain workbook, or an encrypted one after asking for its passphrase."""
        try:
            return Database(path, read_only=read_only)
        except NotAWorkbench:
            passphrase = self.ask_passphrase(path)
            if passphrase is None:
                raise
            return Database(path, passphrase=passphrase, read_only=read_only)

    def offer_backup(self, path: Path, problem: WorkbenchError) -> QMessageBox:
        """A database changed outside the app (a trigger, a view of its own) is not opened: say what is wrong,
        and offer its last rolling backup that is whole, the changed file being kept beside it."""
        good = good_backups(path)
        box = QMessageBox(QMessageBox.Icon.Warning, tr("Basis data diubah di luar aplikasi"), str(problem),
                          QMessageBox.StandardButton.Cancel, self)
        if good:
            box.setInformativeText(tr("Cadangan otomatis terakhir yang utuh: {name}. Pulihkan dari cadangan itu? "
                                      "Berkas yang sekarang disimpan di sampingnya, tidak dihapus.",
                                      name=good[0].name))
            restore = box.addButton(tr("&Pulihkan cadangan"), QMessageBox.ButtonRole.AcceptRole)
            box.setDefaultButton(restore)
            box.accepted.connect(partial(self._recover, path, good[0]))
        else:
            box.setInformativeText(tr("Tidak ada cadangan otomatis yang utuh untuk berkas ini."))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def _recover(self, path: Path, backup: Path) -> None:
        try:
            aside = recover(path, backup)
        except (WorkbenchError, OSError) as exc:
            self._warn(tr("Pemulihan gagal"), str(exc))
            return
        if self.switch_database(path):
            self.statusBar().showMessage(tr("Dipulihkan dari {name}; berkas yang diubah disimpan sebagai {aside}",
                                            name=backup.name, aside=aside.name), 20000)

    def _after_open(self) -> None:
        """Keep a rolling backup of a database opened for writing; say so when it is read-only."""
        if self.chosen_read_only:
            self.statusBar().showMessage(tr("Dibuka hanya baca: tidak ada yang dapat diubah di sini"), 15000)
            return
        if self.db.read_only:
            self._warn(tr("Hanya baca"), tr("Basis data ini sedang dibuka untuk ditulis di jendela lain; "
                                            "di sini hanya dapat dibaca."))
            return
        if not self.example and self.wb.audit.strangers():
            QTimer.singleShot(0, self.offer_keys)
        # the first job of the writer, so the copy is taken before any write of this session; it waits for the
        # event loop to start (the window is up by then) rather than slow the opening down
        started = self.db.started

        def backup(wb: Workbook, progress: object, cancel: object) -> Path:
            started.wait(timeout=2)
            return wb.maintenance.rolling_backup(min_interval=600)

        self.db.write(backup, parent=self)

    def offer_keys(self) -> QMessageBox:
        """The database was changed on another computer (an official on the lead's file, say): its log carries
        keys this computer does not know. Say so, and accept them when the user knows why."""
        strangers = self.wb.audit.strangers()
        box = QMessageBox(QMessageBox.Icon.Question, tr("Diubah di komputer lain"), tr(
            "Log audit basis data ini memuat perubahan yang ditandatangani {count} kunci yang belum dikenal "
            "komputer ini ({keys}): berkas ini pernah dibuka dan diubah di komputer lain.", count=len(strangers),
            keys=", ".join(k[:12] for k in strangers)), QMessageBox.StandardButton.NoButton, self)
        box.setInformativeText(tr("Terima kunci itu bila Anda memang menyerahkan berkas ini kepada orang lain. "
                                  "Bila tidak, jangan terima: periksa dulu siapa yang mengubahnya (workbench check)."))
        accept = box.addButton(tr("&Terima kunci"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("&Nanti"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(accept)
        box.accepted.connect(lambda: self.db.write(
            lambda wb, progress, cancel: wb.audit.accept_keys(), parent=self,
            on_success=lambda keys: self.statusBar().showMessage(tr("{count} kunci diterima", count=len(keys)), 8000),
            on_failure=lambda exc: self._warn(tr("Kunci tidak diterima"), str(exc))))
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    def restore_backup(self) -> None:
        """Choose one of the rolling backups and put it in place of the database (undoable: see backups)."""
        copies = self.wb.maintenance.backups()
        if not copies:
            self.statusBar().showMessage(tr("Belum ada cadangan"), 5000)
            return
        name, ok = QInputDialog.getItem(self, tr("Pulihkan cadangan"), tr("Cadangan (terbaru di atas):"),
                                        [p.name for p in copies], 0, False)
        if ok:
            self.restore_from(self.wb.maintenance.backup_dir / name)

    def restore_from(self, backup: Path) -> None:
        """Put a backup in place of the database, on the writer thread; every screen then shows it."""
        self.commit_entry()
        self.db.write(lambda wb, progress, cancel: wb.maintenance.restore(backup), parent=self,
                      on_success=lambda _: self.statusBar().showMessage(tr("Dipulihkan dari {name}",
                                                                           name=backup.name), 8000),
                      on_failure=lambda exc: self._warn(tr("Pemulihan gagal"), str(exc)))

    def _ask_passphrase(self, path: Path) -> str | None:
        text, ok = QInputDialog.getText(self, tr("Basis data terenkripsi"), tr("Kata sandi untuk {name}:",
                                                                               name=path.name),
                                        QLineEdit.EchoMode.Password)
        return text if ok and text else None

    def start(self) -> QDialog:
        """Mulai: a new evaluation, a database to open, a recent one, or the example data."""
        from ui.start_dialog import StartDialog

        dialog = StartDialog(self.settings.paths("persist/recent_files"), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._on_start_chosen(*dialog.choice))
        dialog.open()
        return dialog

    def _on_start_chosen(self, choice: str, path: Path | None) -> None:
        if choice == "new":
            self.new_evaluation()
        elif choice == "kit":
            self.open_kit()
        elif choice == "open":
            self.open_database()
        elif choice == "recent" and path is not None:
            self.switch_database(path)
        elif choice == "demo":
            demo = default_database()
            create_if_missing(demo, demo=True)
            if demo.resolve() != self.db.path.resolve():
                self.switch_database(demo)

    def new_evaluation(self) -> QDialog:
        """The wizard for a new evaluation; the window then works in the database it made."""
        from ui.new_evaluation import NewEvaluationWizard

        wizard = NewEvaluationWizard(self._folder(), self.settings.text("setting/user"), self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.accepted.connect(lambda: self._on_evaluation_created(wizard.created, wizard.plan().passphrase,
                                                                    Identity(wizard.plan().owner, wizard.plan().role)))
        wizard.open()
        return wizard

    def _on_evaluation_created(self, path: Path | None, passphrase: str | None, identity: Identity) -> None:
        if path is None:
            return
        remember(self.settings, path, identity)  # the wizard asked who works in it
        known = self.ask_passphrase
        if passphrase:
            self.ask_passphrase = lambda _: passphrase
        try:
            if self.switch_database(path):
                if identity.role == "evaluator":
                    self.entry.navigator.setFocus()
                units = len(self.wb.registry.units())
                self.statusBar().showMessage(tr("Evaluasi baru siap: {count} unit. Langkah berikutnya: tugaskan unit "
                                                "kepada evaluator di Progres tim, lalu kirim kit.", count=units)
                                             if units and identity.role == "lead" else
                                             tr("Evaluasi baru siap: {count} unit. Pilih unit di kiri untuk mulai "
                                                "menilai.", count=units) if units else
                                             tr("Evaluasi baru siap. Langkah berikutnya: Berkas → Impor daftar "
                                                "unit."), 20000)
        finally:
            self.ask_passphrase = known

    def open_kit(self, kit: Path | None = None, passphrase: str | None = None, target: Path | None = None) -> None:
        """Buka kit penugasan: this laptop's database made from the kit the lead's office sent (or the one made
        from an earlier kit brought up to date), then opened here. Asks for what is not given."""
        if kit is None:
            kind = tr("Kit penugasan")
            chosen, _ = QFileDialog.getOpenFileName(self, tr("Buka kit penugasan"), self._folder(),
                                                    f"{kind} (*{KIT_SUFFIX})")
            if not chosen:
                return
            kit = Path(chosen)
        if passphrase is None:
            text, ok = QInputDialog.getText(self, tr("Buka kit penugasan"), tr("Kata sandi kit (dari ketua tim):"),
                                            QLineEdit.EchoMode.Password)
            if not ok or not text:
                return
            passphrase = text
        if target is None:
            suggestion = Path(self._folder()) / f"evaluasi-{kit.stem.removeprefix('kit-')}.sqlite"
            title = tr("Basis data evaluasi Anda (baru, atau yang dibuat dari kit sebelumnya)")
            chosen, _ = QFileDialog.getSaveFileName(self, title, str(suggestion), DB_FILTER,
                                                    options=QFileDialog.Option.DontConfirmOverwrite)
            if not chosen:
                return
            target = Path(chosen)
        source, secret, made = kit, passphrase, target
        if made.exists() and made.resolve() == self.db.path.resolve():  # the open database: through its writer
            self.db.write(lambda wb, progress, cancel: wb.kits.import_(source, secret), parent=self,
                          label=tr("Membuka kit…"), on_success=lambda done: self._on_kit_opened(made, done),
                          on_failure=lambda exc: self._warn(tr("Kit tidak dapat dibuka"), str(exc)))
            return
        run_op(self, lambda progress, cancel: import_kit(made, source, secret), pool_name="reader",
               label=tr("Membuka kit…"), on_success=lambda done: self._on_kit_opened(made, done),
               on_failure=lambda exc: self._warn(tr("Kit tidak dapat dibuka"), str(exc)))

    def _on_kit_opened(self, path: Path, done: object) -> None:
        assert isinstance(done, KitApplied)
        remember(self.settings, path, Identity(done.evaluator))  # the kit names whose laptop this is
        if path.resolve() == self.db.path.resolve():
            self._become(Identity(done.evaluator))
        if path.resolve() == self.db.path.resolve() or self.switch_database(path):
            self.tabs.setCurrentIndex(0)
            self.entry.navigator.setFocus()
            self.statusBar().showMessage(tr(
                "Kit nomor {number} untuk {evaluator}: {units} unit, {claims} klaim. Pilih unit di kiri untuk mulai "
                "menilai; kirim hasilnya dengan Berkas → Kirim paket.", number=done.sequence, evaluator=done.evaluator,
                units=done.units, claims=done.claims), 30000)

    def open_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("Buka basis data"), self._folder(), DB_FILTER)
        if path:
            self.switch_database(Path(path))
    def ask_user_name(self) -> None:
        """Ask who works in this database; every change from now on is recorded under that name."""
        name, ok = QInputDialog.getText(self, tr("Nama pengguna"), tr("Nama Anda (tercatat di log audit):"),
                                        text=self.user)
        if ok and name.strip():
            self.set_user(name.strip())

    def set_user(self, name: str) -> None:
        """Say who works here from now on (this computer's user, in this database); the database's owner stays."""
        self._become(Identity(name, self.identity.role))

    def set_role(self, role: str) -> None:
        """Work here as an evaluator or as the team lead: the role's first screen is shown; when the person is
        the database's owner, the database says so too (the reports name the lead)."""
        self._become(Identity(self.identity.name, role))
        if (not self.db.read_only and self.identity.name == self.wb.settings.get("owner")
                and self.wb.settings.get("owner_role") != role):
            self.db.write(lambda wb, progress, cancel: wb.settings.set("owner_role", role), parent=self)
        self.tabs.setCurrentIndex(HOME_TAB[role])

    def _become(self, identity: Identity) -> None:
        if self.example:
            self.settings.set("setting/user", identity.name)  # the example data is nobody's
        else:
            remember(self.settings, self.db.path, identity)
        keep: tuple[str | None, str | None] = (None, None)
        if self.built(ENTRY) is not None:
            keep = (self.entry.unit, identity.name if self.entry.evaluator == self.identity.name
                    else self.entry.evaluator)
        self.identity = identity
        self.db.actor = identity.name
        self._save_state()
        self._build(keep=keep)

    def _on_db_changed(self, changes: Changes, asking: object) -> None:
        if changes.external:
            self.statusBar().showMessage(tr("Basis data diubah dari luar aplikasi; tampilan diperbarui"), 8000)
