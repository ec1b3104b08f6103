## Русский
app-name = Сапар
app-tagline = Планирование официальных визитов
nav-visits = Визиты
nav-language = Язык
visits-title = Визиты
visits-empty = Визитов пока нет.
visits-name = Название
visits-region = Регион
visits-days = Даты
visits-status = Статус
visits-delegation = Делегация
visits-meetings = Мероприятий
status-draft = Черновик
status-published = Опубликован
status-completed = Завершён
status-cancelled = Отменён
error-title = Ошибка
error-not_found = Страница не найдена.
error-internal = Что-то пошло не так. Попробуйте ещё раз; если ошибка повторится, сообщите администратору.
error-forbidden = Это действие недоступно для вашей роли, или форма устарела — откройте страницу заново.
nav-skip = Перейти к содержимому
nav-sections = Разделы
nav-officials = Должностные лица
nav-venues = Объекты
nav-groups = Группы
nav-participants = Участники
nav-unavailability = Занятость
nav-travel_times = Переезды
nav-users = Пользователи
nav-sign_out = Выйти
login-title = Вход
login-email = Электронная почта
login-password = Пароль
login-submit = Войти
login-wrong = Неверная почта или пароль.
visits-new = Новый визит
visits-upcoming = Предстоящие
visits-past = Прошедшие
visits-conflicts = Конфликты
conflicts-errors = { $n } { $n ->
    [one] ошибка
    [few] ошибки
   *[many] ошибок
}
conflicts-warnings = { $n } { $n ->
    [one] предупреждение
    [few] предупреждения
   *[many] предупреждений
}
conflicts-none = без конфликтов
editor-add = Добавить
editor-new = Новая запись
editor-edit = Изменить
editor-open = Открыть
editor-save = Сохранить
editor-delete = Удалить
editor-back = ← К списку
editor-empty = Записей пока нет.
editor-actions = Действия
editor-fix_fields = Проверьте отмеченные поля.
editor-delete_refused = Удаление невозможно:
editor-their_changes = Пока вы редактировали, запись изменили. Сравните:
editor-field = Поле
editor-theirs = Сохранено другим
editor-yours = Ваше значение
editor-stale = Эту запись уже изменил другой пользователь. Ваши данные сохранены в форме — проверьте отличия и сохраните ещё раз.
entity-officials = должностное лицо
entity-venues = объект
entity-groups = группа
entity-participants = участник
entity-unavailability = период занятости
entity-visits = визит
entity-meetings = мероприятие
problem-required = Заполните это поле.
problem-too_long = Слишком длинно: не более { $max } { $max ->
    [one] символа
   *[other] символов
}.
problem-email = Это не адрес электронной почты.
problem-zone = Неизвестный часовой пояс; пример: Asia/Almaty.
problem-end_before_start = Окончание должно быть позже начала.
problem-last_before_first = Последний день не может быть раньше первого.
problem-range = Допустимо от { $min } до { $max }.
problem-choice = Выберите значение из списка.
problem-unknown = Такой записи нет — возможно, её удалили.
problem-duplicate = Уже занято.
problem-invalid = Неверное значение
problem-whole_number = Не целое число.
problem-number = Не число.
problem-date = Не дата.
problem-date_bounds = Дата должна быть между 2000-01-01 и 2099-12-31.
problem-date_time = Не дата и время.
problem-time = Введите время, например 09:00.
problem-single_line = Должно уместиться в одну строку.
problem-listed_twice = Одно и то же значение указано дважды.
problem-below_members = Названо { $members } { $members ->
    [one] участник
    [few] участника
   *[many] участников
} — численность не может быть меньше.
problem-visit_too_long = Визит длится не более { $days } { $days ->
    [one] дня
   *[other] дней
}.
problem-not_among_officials = Должностное лицо #{ $id } не указано среди должностных лиц мероприятия.
problem-official_or_venue = Укажите либо должностное лицо, либо объект, но не оба.
problem-same_venue = Должно отличаться от места отправления.
problem-password_short = Не менее { $min } { $min ->
    [one] символа
   *[other] символов
}.
problem-no_such_user = Пользователя с такой почтой нет.
field-official_roles = Роли должностных лиц
field-published_version = Опубликованная версия
field-full_name = ФИО
field-position = Должность
field-organization = Организация
field-precedence = Протокольное старшинство
field-email = Электронная почта
field-phone = Телефон
field-language = Язык
field-notes = Примечания
field-name = Название
field-kind = Тип
field-address = Адрес
field-city = Город
field-latitude = Широта
field-longitude = Долгота
field-timezone = Часовой пояс
field-capacity = Вместимость
field-opens = Открывается
field-closes = Закрывается
field-contact_name = Контактное лицо
field-contact_phone = Телефон контакта
field-contact_email = Почта контакта
field-description = Описание
field-headcount = Ожидаемая численность
field-contact_participant_id = Контактный участник
field-participant_ids = Участники
field-group_ids = Группы
field-official_id = Должностное лицо
field-venue_id = Объект
field-starts_at = Начало
field-ends_at = Окончание
field-reason = Причина
field-title = Название
field-theme = Тема
field-region = Регион
field-first_day = Первый день
field-last_day = Последний день
field-lead_official_id = Руководитель делегации
field-official_ids = Должностные лица
field-status = Статус
field-responsible = Ответственный
field-agenda = Повестка
field-briefing_notes = Справка и тезисы
field-logistics = Логистика (транспорт, перевод, встреча)
field-dress_code = Форма одежды
field-from_venue_id = Откуда
field-to_venue_id = Куда
field-minutes = Минут в пути
hint-precedence = 1 — высший ранг; списки печатаются в этом порядке.
hint-timezone = Название IANA, например Asia/Almaty.
hint-notes = Правила объекта: СИЗ, запрет съёмки, вход и парковка.
language-ru = Русский
language-kk = Қазақша
language-en = English
venue_kind-university = Университет
venue_kind-plant = Предприятие
venue_kind-lab = Лаборатория
venue_kind-government = Госучреждение
venue_kind-cultural = Культурный центр
venue_kind-hotel = Гостиница
venue_kind-airport = Аэропорт
venue_kind-other = Другое
meeting_kind-meeting = Встреча
meeting_kind-site_visit = Посещение объекта
meeting_kind-press = Подход к прессе
meeting_kind-meal = Обед / ужин
meeting_kind-transfer = Переезд
meeting_kind-ceremony = Церемония
meeting_kind-other = Другое
meeting_status-tentative = Предварительно
meeting_status-confirmed = Подтверждено
meeting_status-cancelled = Отменено
visit-audit = Журнал изменений
visit-edit = Изменить визит
visit-add_item = Добавить мероприятие
visit-delegation = Делегация
visit-conflicts = Конфликты
visit-no_conflicts = Конфликтов нет: программу можно выполнить.
visit-suggestion = Ближайшее свободное время
visit-apply = Перенести
visit-empty_day = В этот день мероприятий нет.
visit-time = Время
visit-timeline = Хронология
timeline-officials = Должностные лица
timeline-venues = Площадки
timeline-clash = Накладка
timeline-minute_unit = мин
timeline-meeting = Встреча
timeline-cancelled = Отменено
timeline-transfer = Переезд
visit-times_in_zone = Время указывается по часовому поясу { $zone }.
error = Ошибка
warning = Предупреждение
weekday-0 = понедельник
weekday-1 = вторник
weekday-2 = среда
weekday-3 = четверг
weekday-4 = пятница
weekday-5 = суббота
weekday-6 = воскресенье
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря
users-role = Роль
users-since = С
users-add = Добавить пользователя
users-password_hint = Не менее 10 символов.
users-refused = Изменение невозможно:
role-admin = Администратор
role-planner = Планировщик
role-viewer = Наблюдатель
audit-back = ← К программе
audit-when = Когда
audit-who = Кто
audit-what = Что
audit-changes = Изменения
audit-create = создано
audit-update = изменено
audit-delete = удалено
audit-publish = опубликовано
audit-load = загружено
audit-entity-official = Должностное лицо
audit-entity-venue = Объект
audit-entity-group = Группа
audit-entity-participant = Участник
audit-entity-visit = Визит
audit-entity-meeting = Мероприятие
audit-entity-unavailability = Занятость
audit-entity-travel_time = Переезд
audit-entity-user = Пользователь
audit-entity-demo = Демонстрационные данные
travel-explain = Время в пути между объектами. Без записи оно оценивается по координатам (40 км/ч и 10 минут на посадку), иначе принимается 30 минут.
travel-set = Задать время в пути
in_use-venue = здесь { $meetings ->
    [one] проходит { $meetings } мероприятие
    [few] проходят { $meetings } мероприятия
   *[many] проходят { $meetings } мероприятий
} — сначала перенесите или удалите их.
in_use-official = упоминается в { $meetings ->
    [one] { $meetings } мероприятии
   *[other] { $meetings } мероприятиях
} и { $visits ->
    [one] { $visits } визите
   *[other] { $visits } визитах
} — сначала уберите его оттуда.
in_use-group = группа приглашена на { $meetings } { $meetings ->
    [one] мероприятие
    [few] мероприятия
   *[many] мероприятий
} — сначала уберите её оттуда.
in_use-participant = участник приглашён на { $meetings } { $meetings ->
    [one] мероприятие
    [few] мероприятия
   *[many] мероприятий
} — сначала уберите его оттуда.
in_use-visit = визит опубликован и разослан участникам — смените его статус на «Отменён».
itinerary-toolbar = Программа
itinerary-internal = Рабочая программа
itinerary-public = Общая программа
itinerary-print_hint = Для печати: Ctrl+P, формат A4.
itinerary-for = Для
itinerary-version = Версия { $n }
itinerary-draft = Черновик (не опубликовано)
itinerary-printed = напечатано
itinerary-nothing = Мероприятий нет.
itinerary-host = Принимающая сторона
itinerary-rules = Правила объекта
itinerary-logistics = Логистика
itinerary-transfer = Переезд
itinerary-minutes = { $n } мин
itinerary-too_short = времени на переезд не хватает
mail-new = НОВОЕ
mail-changed = ИЗМЕНЕНО
mail-cancelled = ОТМЕНЕНО
mail-was = было
mail-contact = Контакт
mail-greeting = Здравствуйте
mail-version = версия
mail-calendar_attached = Во вложении — файл календаря: откройте его, чтобы добавить или обновить события.
mail-signature = Сообщение отправлено системой планирования визитов «Сапар».
mail-subject-invitation = Приглашение
mail-subject-change = Изменения в программе
mail-subject-cancellation = Отмена
mail-intro-invitation = Вы приглашены на мероприятия визита
mail-intro-change = В программе визита изменились мероприятия, которые касаются вас:
mail-intro-cancellation = Отменены мероприятия, на которые вы были приглашены, визита
mail-briefing-subject = Справочные материалы
mail-briefing-intro = Направляем справочные материалы к визиту: программа по дням, объекты, участники, повестка и тезисы.
mail-colleague = коллеги
## Подписки на календари
nav-calendars = Календари
calendars-explain = Подписка показывает встречи одного должностного лица или участника в его календаре и обновляется при каждом изменении. Открыть ее может любой, у кого есть ссылка: передавайте ее только адресату и отзывайте, если она попала к другим или больше не нужна.
calendars-none = Подписок пока нет.
calendars-person = Кому
calendars-official = должностное лицо
calendars-participant = участник
calendars-created = Создана
calendars-status = Состояние
calendars-issued = Ссылка новой подписки показана только один раз (Sapar не хранит ее копию): скопируйте ее сейчас и передайте только адресату.
calendars-active = Действует
calendars-revoked = Отозвана
calendars-subscribe = Подписаться (webcal)
calendars-download = Скачать .ics
calendars-revoke = Отозвать
calendars-create = Новая подписка
calendars-visit_ics = Календарь (.ics)
publish-title = Публикация программы
publish-errors = Ошибки: подтвердите каждую
publish-acknowledge = понимаю, публикую с этой ошибкой
publish-warnings = Предупреждения
publish-recipients = Кому уйдут сообщения
publish-nobody = Изменений для участников нет — никому ничего не уйдёт.
publish-message = Сообщение
publish-items = Пунктов
publish-no_email = нет почты
publish-without_email = Без адреса почты (сообщение не уйдёт):
publish-submit = Опубликовать
publish-acknowledge_all = Подтвердите каждую ошибку, прежде чем публиковать.
publish-unacknowledged = В визите { $n } { $n ->
    [one] ошибка
    [few] ошибки
   *[many] ошибок
} — подтвердите их, чтобы опубликовать.
changelog-title = Версии программы
changelog-none = Программа ещё не публиковалась.
changelog-same = Без изменений.
outbox-title = Рассылка
outbox-waiting = Сообщения ещё отправляются.
outbox-refresh = Обновить
outbox-publication = Публикация
outbox-sent = Отправлено
outbox-pending = В очереди
outbox-failed = Не доставлено
outbox-to = Кому
outbox-subject = Тема
outbox-attempts = Попыток
outbox-error = Ошибка
outbox-retry = Повторить
outbox-kind-briefing_pack = Справочные материалы
outbox-kind-invitation = Приглашение
outbox-kind-change = Изменения
outbox-kind-cancellation = Отмена
outbox-status-pending = в очереди
outbox-status-sent = отправлено
outbox-status-failed = не доставлено
nav-outbox = Рассылка
visit-publish = Опубликовать
visit-changelog = Версии
visit-itinerary = Программа для печати

## Конфликты: одно предложение на конфликт (i18n/conflicts.rs)
conflict-venue_double_booked = Площадка «{ $who }» занята одновременно: «{ $a }» и «{ $b }» ({ $ta } и { $tb }).
conflict-group_double_booked = { $count ->
    [1] Группа { $who } приглашена
   *[other] Группы { $who } приглашены
} одновременно на «{ $a }» и «{ $b }» ({ $ta } и { $tb }).
conflict-participant_double_booked = { $who }: приглашения на «{ $a }» и «{ $b }» совпадают по времени ({ $ta } и { $tb }).
conflict-double_booked = { $who }: «{ $a }» и «{ $b }» назначены на одно и то же время ({ $ta } и { $tb }).
conflict-group = Группа «{ $name }»
conflict-travel = { $who }: между «{ $a }» (окончание в { $ends }) и «{ $b }» (начало в { $starts }) только { $gap } { $gap ->
    [one] минута
    [few] минуты
   *[many] минут
}, а время в пути из «{ $from }» в «{ $to }» — { $needed } { $needed ->
    [one] минута
    [few] минуты
   *[many] минут
}.
conflict-travel_tight = { $who }: между «{ $a }» (окончание в { $ends }) и «{ $b }» (начало в { $starts }) { $gap } { $gap ->
    [one] минута
    [few] минуты
   *[many] минут
}, время в пути из «{ $from }» в «{ $to }» — { $needed } { $needed ->
    [one] минута
    [few] минуты
   *[many] минут
}, запас меньше { $buffer } мин.
conflict-opening_hours = «{ $title }» ({ $when }) выходит за часы работы площадки «{ $subject }» ({ $hours }).
conflict-capacity = На «{ $title }» { $expected ->
    [one] ожидается { $expected } человек
    [few] ожидаются { $expected } человека
   *[many] ожидается { $expected } человек
}, а площадка «{ $subject }» вмещает { $capacity }.
conflict-visit_dates = «{ $title }» ({ $when }) выходит за даты визита ({ $days }).
conflict-venue_unavailable = Площадка «{ $who }» недоступна { $window }{ $reason }, а на это время там назначено мероприятие «{ $title }» ({ $when }).
conflict-unavailable = { $who }: «{ $title }» ({ $when }) приходится на период недоступности { $window }{ $reason }.
conflict-no_break = { $subject }: с { $from } до { $to } нет перерыва хотя бы на { $min_break } мин — { $titles } идут подряд { $length }.
conflict-length = { $h ->
    [0] { $m } мин
   *[other] { $m ->
        [0] { $h } ч
       *[other] { $h } ч { $m } мин
    }
}

# accounts: доступ, который можно отозвать (/account, /users, сброс пароля)
nav-account = Мой профиль
users-last_admin = последнего действующего администратора нельзя ни отключить, ни лишить прав администратора
users-status = Состояние
users-active = Действует
users-disabled = Отключен
users-disable = Отключить
users-enable = Включить
users-reset = Отправить ссылку для смены пароля
users-reset_sent = Ссылка для смены пароля отправлена:
problem-wrong_password = Это не ваш текущий пароль.
problem-passwords_differ = Пароли не совпадают.
account-title = Мой профиль
account-password = Смена пароля
account-current_password = Текущий пароль
account-new_password = Новый пароль
account-again = Новый пароль еще раз
account-password_changed = Пароль изменен. Остальные ваши сеансы завершены.
account-sessions = Сеансы
account-sessions_hint = Где выполнен вход под вашей учетной записью. Завершите незнакомый сеанс и смените пароль.
account-where = Откуда
account-signed_in = Вход
account-last_seen = Последняя активность
account-this_session = этот сеанс
account-end = Завершить
account-end_all = Выйти на всех устройствах
account-end_all_hint = Завершает все сеансы, включая этот.
account-tokens = API-токены
account-tokens_none = API-токенов нет.
account-token_label = Название
account-token_days = Срок действия, дней
account-token_days_hint = Оставьте пустым, чтобы токен действовал до отзыва.
account-token_created = Создан
account-token_last_used = Последнее использование
account-token_expires = Действует до
account-token_create = Создать токен
account-token_issued = Новый токен показан только один раз (Sapar не хранит его копию): скопируйте его сейчас.
account-token_revoke = Отозвать
reset-title = Новый пароль
reset-lead = Задайте новый пароль для учетной записи:
reset-submit = Сохранить пароль
reset-gone_title = Ссылка больше не действует
reset-gone = Ссылкой уже воспользовались, или истек час ее действия, или ее заменила более новая ссылка. Попросите администратора отправить новую.
reset-unknown = Такой ссылки нет. Проверьте, что она скопирована целиком, или попросите администратора отправить новую.
login-password_changed = Пароль задан. Войдите с новым паролем.
mail-reset-subject = Новый пароль для «Сапар»
mail-reset-intro = Администратор попросил «Сапар» отправить вам ссылку для смены пароля. Откройте ее и дважды введите новый пароль:
mail-reset-action = Задать новый пароль
mail-reset-once = Ссылка действует один раз в течение часа.
mail-reset-ignore = Если вы не ждали этого письма, сообщите администратору; текущий пароль действует, пока не задан новый.
outbox-kind-password_reset = Смена пароля
## Calendar feeds and briefing-pack recipients
problem-refused_recipients = Эти адреса не принадлежат ни сотруднику, ни должностному лицу, ни участнику и не входят в разрешённые домены: { $addresses }.
problem-too_many_ids = В одном списке — не более { $max }.
problem-too_many_recipients = Не более { $max } { $max ->
    [one] получателя
   *[other] получателей
} за один раз.
## Вход и защита соединения: неудачные попытки входа замедляют следующую.
login-too_soon = Слишком много неудачных попыток входа подряд.
login-next_try_seconds = Попробуйте снова через { $n } { $n ->
    [one] секунду
    [few] секунды
   *[many] секунд
}.
login-next_try_minutes = Попробуйте снова через { $n } { $n ->
    [one] минуту
    [few] минуты
   *[many] минут
}.

## The visit page of a large visit: one day at a time, clashes grouped
visit-days = Дни визита
visit-day_meetings = { $n } { $n ->
    [one] мероприятие
    [few] мероприятия
   *[many] мероприятий
}
visit-all_days = Все дни
visit-all_severities = Ошибки и предупреждения
visit-conflicts_day = День
visit-conflicts_severity = Важность
visit-conflicts_filter = Показать
visit-conflicts_none_match = Выбранным условиям не отвечает ни один конфликт.
visit-conflicts_shown = Показано { $shown } из { $total }.
visit-conflicts_show_all = Показать все
## Постраничные списки с поиском: строка поиска, счётчик и ссылки на страницы.
list-search = Поиск по названию или имени
list-find = Найти
list-range = { $first }–{ $last } из { $total }
list-pages = Страницы
list-previous = ← Назад
list-next = Дальше →
list-none_found = По этому запросу ничего не найдено.
# список визитов в масштабе: поиск и страницы (/visits)
visits-search = Поиск по названию, региону или должностному лицу
visits-search_button = Найти
visits-not_found = Визитов по запросу не найдено.
visits-pages = Страницы списка
visits-previous = ← Предыдущая
visits-next = Следующая →
visits-page = Страница { $page } из { $pages }

## Pickers: references searched rather than listed whole
picker-search = Найти по имени
picker-nobody = не выбрано
picker-none_chosen = Пока ничего не выбрано.
picker-found = Найдено: { $n }
picker-all_chosen = Все найденные уже отмечены.
picker-more = Ещё { $n } — уточните поиск.
picker-unsaved = Изменения ещё не сохранены: отметьте нужное и нажмите «Сохранить».

## Задержка
late-link = Задерживаемся…
late-title = Задерживаемся
late-explain = Этот пункт и все более поздние пункты того же дня, у которых есть общее должностное лицо с ним (или с уже сдвинутым пунктом), сдвигаются на одно и то же число минут. Отменённые пункты остаются на месте.
late-quick = Опоздание, минут
late-minutes = Другое число минут
late-minutes_hint = Целое число; отрицательное — раньше срока. Не больше 720 в любую сторону.
late-preview = Предварительный просмотр
late-cancel = Отмена
late-preview_title = Задерживаемся
late-by = { $minutes } мин
late-moved = Что сдвигается
late-before = Было
late-after = Станет
late-conflicts = Конфликты
late-conflicts_same = Конфликты не изменятся.
late-conflicts_appear = Появятся конфликты
late-conflicts_disappear = Исчезнут конфликты
late-resolved = снят
late-told = Кого известим
late-official = должностное лицо
late-participant = участник
late-told_hint = Участники получат уведомление об изменении при публикации визита; должностным лицам новый пакет документов отправляется по запросу.
late-apply = Применить
late-apply_publish = Применить и опубликовать
late-changed = Программа изменилась после просмотра, поэтому ничего не сохранено. Ниже — просмотр по текущему состоянию.
problem-shift_zero = Укажите число минут, отличное от 0.
problem-shift_past_day = Пункт выйдет за конец своего дня (полночь). Сдвиньте на меньшее число минут или переносите пункты по одному.
problem-shift_before_day = Пункт начнётся раньше начала своего дня (полночь). Сдвиньте на меньшее число минут.
problem-meeting_cancelled = Этот пункт отменён: он не задерживается.

## День визита
today-link = Сегодня
today-title = День визита
today-bad_at = Время в ссылке не читается: укажите дату и время со смещением, например 2026-02-25T10:00:00+05:00.
today-bad_official = Должностное лицо в ссылке указано не числом.
today-unknown_official = В этом визите нет такого должностного лица.
today-minutes = { $minutes } мин
today-left = осталось { $time }
today-starts_in = Начало в { $start }, через { $time }
today-leave = Выезд в { $time }
today-transfer = Переезд от «{ $from }»: { $time }
today-as_of = На { $time }
today-refresh = обновлять каждую минуту
today-update_now = Обновить
today-conflicts = Конфликты дня
today-empty = В этот день пунктов нет.
today-now = Сейчас
today-nothing_now = Сейчас ничего не идёт.
today-next = Далее
today-nothing_next = На сегодня больше ничего.
today-rest = Позже сегодня
today-address = Адрес

## Documents: the programme in Word, access lists per venue
document-programme = Программа пребывания
document-draft = проект
document-time = Время
document-item = Мероприятие
document-venue = Место проведения, адрес
document-who = Участники
document-responsible = Ответственные
document-headcount = { $n } чел.
docs-programme_docx = Программа (Word)
docs-access = Списки допуска
docs-send_access = Отправить списки на объекты
access-title = Список лиц для допуска
access-number = №
access-name = Фамилия, имя, отчество
access-organization = Организация
access-position = Должность
access-times = Время пребывания
access-clearance = Допуск
access-empty = На этом объекте никого не ожидается.
access-venue = Объект
access-csv = Скачать CSV (Excel)
access-docx = Скачать Word
access-save = Сохранить отметки
access-saved = Отметки сохранены.
access-contact = Адрес службы безопасности
access-no_contact = у объекта нет адреса электронной почты
access-unknown_venue = На этом визите нет такого объекта.
clearance-requested = запрошен
clearance-granted = согласован
clearance-refused = отказано
clearance-none = не запрошен
mail-briefing-yours = Ваша программа
mail-briefing-with = Сопровождают
mail-briefing-annex = Приложение: вся программа визита (для сотрудников)
mail-briefing-attached = Во вложении — программа в формате Word (.docx) и файл календаря (.ics).
mail-access-subject = Список лиц для допуска
mail-access-intro = Направляем список лиц, которых просим допустить на объект во время визита. Во вложении — тот же список в форматах Word и CSV.
