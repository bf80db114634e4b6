import { A } from "@solidjs/router";
import { t } from "../i18n";

export default function NotFoundPage() {
  return (
    <section class="page narrow" data-testid="not-found">
      <h1>{t("notFound.title")}</h1>
      <p class="muted">{t("notFound.body")}</p>
      <p>
        <A href="/" class="btn">
          {t("common.backHome")}
        </A>
      </p>
    </section>
  );
}
