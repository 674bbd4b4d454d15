"""The audit log's actions as the Log page names them (Danish)."""

from __future__ import annotations

from data.audit import AuditAction

ACTION_LABELS: dict[str, str] = {
    AuditAction.LOGIN: "Login",
    AuditAction.LOGIN_FAILED: "Mislykket login",
    AuditAction.ACCOUNT_LOCKED: "Konto låst",
    AuditAction.LOGOUT: "Log ud",
    AuditAction.UPLOAD: "Indlæsning",
    AuditAction.UPLOAD_REPLACE: "Indlæsning (erstatter)",
    AuditAction.UPLOAD_REJECTED: "Afvist fil",
    AuditAction.RESTORE: "Gendannelse",
    AuditAction.WITHDRAW: "Tilbagetrækning",
    AuditAction.EXPORT: "Eksport",
    AuditAction.USER_ADD: "Bruger oprettet/ændret",
    AuditAction.USER_REMOVE: "Bruger slettet",
    AuditAction.ROLE_REMOVE: "Rolle fjernet",
    AuditAction.ACCOUNT_UNLOCKED: "Konto låst op",
    AuditAction.PASSWORD_SET: "Adgangskode sat",
    AuditAction.ACTIVITY: "Indsats",
    AuditAction.COMMENT: "Kommentar",
    AuditAction.CONTROL_GROUP: "Kontrolgruppetal",
}
