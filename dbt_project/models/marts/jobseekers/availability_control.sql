-- Availability-control decisions within the legal deadline (meetpunt 1.7, target 100 %), per month of
-- date_debut_procedure and procedure type. The deadline is the one in force on date_debut_procedure
-- (seed availability_control_deadlines, with validity dates: a reform applies to procedures started after
-- it). Readings chosen for gaps: procedures starting after the cut-off are left out, and a decision dated
-- after the cut-off is not known at the cut-off (the procedure is still pending then). Months before
-- the first delivered period of actiris/decisions_disponibilite hold only the procedures the first
-- delivery carried (is_before_first_delivery), which the dashboard leaves out.
with

procedures as (
    select * from {{ ref('stg_actiris__availability_decisions') }}
),

deadlines as (
    select * from {{ ref('availability_control_deadlines') }}
),

cutoff as (
    select * from {{ ref('int_cutoff') }}
),

first_delivery as (
    {{ first_delivered_month('actiris', 'decisions_disponibilite') | indent(4) }}
),

targets as (
    select * from {{ ref('int_indicator_targets_yearly') }}
    where indicator = 'meetpunt_1_7' and measure = 'on_time_pct'
),

assessed as (
    select
        procedures.decision_id,
        procedures.procedure_type,
        cast(date_trunc('month', procedures.procedure_start_date) as date) as month,
        deadlines.deadline_days,
        coalesce(procedures.has_appeal, false) as has_appeal,
        procedures.decision_date is not null and procedures.decision_date <= cutoff.cutoff_date as is_decided,
        procedures.decision_date - procedures.procedure_start_date as decision_days,
        cutoff.cutoff_date - procedures.procedure_start_date as pending_days
    from procedures
    cross join cutoff
    left join deadlines
        on
            procedures.procedure_type = deadlines.procedure_type
            and procedures.procedure_start_date between deadlines.valid_from and deadlines.valid_to
    where procedures.procedure_start_date <= cutoff.cutoff_date
),

counted as (
    select
        month,
        procedure_type,
        count(*) as procedures,
        count(*) filter (where is_decided) as decided,
        count(*) filter (where is_decided and decision_days <= deadline_days) as decided_on_time,
        count(*) filter (where is_decided and decision_days > deadline_days) as decided_late,
        count(*) filter (where not is_decided) as pending,
        count(*) filter (where not is_decided and pending_days > deadline_days) as pending_late,
        count(*) filter (where has_appeal) as appeals,
        min(deadline_days) as deadline_days_min,
        max(deadline_days) as deadline_days_max
    from assessed
    group by month, procedure_type
),

final as (
    select
        counted.month,
        cast(year(counted.month) as integer) as year,
        coalesce(counted.month < first_delivery.first_month, false) as is_before_first_delivery,
        counted.procedure_type,
        cast(counted.deadline_days_min as integer) as deadline_days_min,
        cast(counted.deadline_days_max as integer) as deadline_days_max,
        cast(counted.procedures as integer) as procedures,
        cast(counted.decided as integer) as decided,
        cast(counted.decided_on_time as integer) as decided_on_time,
        cast(counted.decided_late as integer) as decided_late,
        cast(counted.pending as integer) as pending,
        cast(counted.pending_late as integer) as pending_late,
        cast(counted.decided + counted.pending_late as integer) as on_time_due,
        cast(counted.appeals as integer) as appeals,
        {{ rate_pct('counted.decided_on_time', 'counted.decided + counted.pending_late') }} as on_time_pct,
        cast(targets.target_value as decimal(9, 2)) as on_time_target_pct
    from counted
    left join targets on year(counted.month) = targets.year
    left join first_delivery on true
)

select * from final
